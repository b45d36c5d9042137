"""The `admin` blueprint itself, which the package's view modules register their routes on."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
