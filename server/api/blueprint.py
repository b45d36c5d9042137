"""The `api` blueprint itself, which the package's view modules register their routes on."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
