"""The `checkpage` blueprint itself, which the package's view modules register their routes on."""
from flask import Blueprint

bp = Blueprint("checkpage", __name__, url_prefix="/check")
