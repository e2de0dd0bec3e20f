"""Search across actions, progress updates and evidence."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from workflow.core import permissions
from workflow.oversight import search as searching
from workflow.oversight.forms import SearchForm
from workflow.web import page_number, require

bp = Blueprint("search", __name__)


@bp.get("/search")
def index():
    require(permissions.can_browse_authority(current_user))
    form = SearchForm(request.args)
    results = None
    if form.q.data and form.validate():
        results = searching.search(current_user, form.q.data, page_number())
    return render_template("search/index.html", form=form, results=results)
