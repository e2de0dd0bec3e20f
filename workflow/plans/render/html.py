"""The plan as a standalone HTML document: the HTML export, and the source of the PDF."""

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


def render_html(plan: Plan, stylesheet_href: str | None = None) -> str:
    """The plan page; its stylesheet inlined unless an address to fetch it is given."""
    if stylesheet_href:
        return render_document("plans/document.html", plan=plan, stylesheet_href=stylesheet_href)
    return render_document("plans/document.html", plan=plan, stylesheet=stylesheet_text())
