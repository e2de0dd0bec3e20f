"""The plan as a standalone HTML document: the HTML export and the published page."""

from pathlib import Path

from flask import current_app

from workflow.plans.builder import Plan

STYLESHEET = "plan/document.css"


def render_document(template: str, **context) -> str:
    """Render without the request's context processors: a document is the same for anyone
    and renders in a CLI command as well as in a request."""
    return current_app.jinja_env.get_template(template).render(**context)


def stylesheet_text() -> str:
    return (Path(current_app.static_folder) / STYLESHEET).read_text(encoding="utf-8")


def render_html(plan: Plan, public: bool = False) -> str:
    """The plan page, its stylesheet and logo inlined so the file stands alone. A public
    page leaves out the addresses of evidence links, which point inside the council."""
    logo_src = plan.logo.data_uri if plan.logo else ""
    return render_document(
        "plans/document.html",
        plan=plan,
        public=public,
        logo_src=logo_src,
        stylesheet=stylesheet_text(),
    )
