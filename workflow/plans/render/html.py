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


def render_html(
    plan: Plan, stylesheet_href: str | None = None, public: bool = False, logo_src: str = ""
) -> str:
    """The plan page; its stylesheet (and logo) inlined unless addresses to fetch them are
    given. A public page leaves out the addresses of evidence links, which point inside the
    council."""
    logo_src = logo_src or (plan.logo.data_uri if plan.logo else "")
    context = {"plan": plan, "public": public, "logo_src": logo_src}
    if stylesheet_href:
        return render_document("plans/document.html", stylesheet_href=stylesheet_href, **context)
    return render_document("plans/document.html", stylesheet=stylesheet_text(), **context)
