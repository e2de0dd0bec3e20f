"""Pages anyone may read, and the home page."""

from flask import Blueprint, redirect, render_template, url_for

bp = Blueprint("pages", __name__)
home = Blueprint("home", __name__)


@bp.get("/accessibility")
def accessibility():
    return render_template("pages/accessibility.html")


@home.get("/")
def index():
    return redirect(url_for("inspections.index"))
