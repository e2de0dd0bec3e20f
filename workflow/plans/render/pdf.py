"""The plan as a tagged PDF (PDF/UA-1), laid out by Typst from `plan.typ`.

A 300-action plan renders in a fraction of a second, where an HTML layout engine took
several. The words reach Typst as JSON, which the template reads as data, so no text in a
plan is ever read as markup; the compiler reads files only inside a temporary folder
holding the template, the data and the logo.
"""

import json
import tempfile
from datetime import UTC, datetime, time
from pathlib import Path

from workflow.core.rag import EXCEPTION_RULE
from workflow.plans.builder import Plan, PlanAction
from workflow.plans.render.style import long_date

TEMPLATE = Path(__file__).with_name("plan.typ")
TAG_COLOURS = {"amber": "yellow"}  # GOV.UK shows amber as its yellow tag
IMPACT_COLOURS = {"Met": "blue", "On course": "green", "Off course": "red"}
LOGO_NAMES = {"image/png": "logo.png", "image/jpeg": "logo.jpg", "image/svg+xml": "logo.svg"}


def render_pdf(plan: Plan, public: bool = False) -> bytes:
    """The plan as PDF/UA-1. `public` leaves out the addresses of evidence links."""
    import typst

    with tempfile.TemporaryDirectory(prefix="plan-") as folder:
        root = Path(folder)
        data = document_data(plan, public)
        if plan.logo and plan.logo.mimetype in LOGO_NAMES:
            data["logo"] = LOGO_NAMES[plan.logo.mimetype]
            (root / data["logo"]).write_bytes(plan.logo.data)
        (root / "plan.json").write_text(json.dumps(data), encoding="utf-8")
        (root / "plan.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        return typst.compile(
            str(root / "plan.typ"),
            root=str(root),
            format="pdf",
            pdf_standards=["ua-1"],
            # Only the fonts on this machine: a plan never makes Typst fetch anything.
            package_path=str(root),
            # Dated the day the plan was prepared: the same plan renders the same bytes.
            timestamp=int(datetime.combine(plan.cover.prepared_on, time(), UTC).timestamp()),
        )


def document_data(plan: Plan, public: bool) -> dict:
    """What the template prints, every word of it, from the plan builder's result."""
    cover, summary = plan.cover, plan.summary
    since = summary.since_label
    sign_off = cover.sign_off
    return {
        "title": plan.title,
        # Every page says which version it is: a page printed on its own is not mistaken
        # for the issued plan.
        "footer": f"{plan.title} · {cover.version_label}",
        "authority": cover.authority,
        "description": f"{cover.inspection_kind}: written action plan, {cover.version_label}",
        "subtitle": f"{cover.inspection_kind}, {cover.inspection_dates} · {cover.version_label}",
        "logo": None,
        "cover": [list(row) for row in cover.rows()[1:]],
        "judgements": [list(row) for row in cover.judgements],
        "sign_off": sign_off
        and [
            [
                "Director of children's services",
                sign_off.director_name,
                long_date(sign_off.director_signed_on),
            ],
            [
                "Lead member for children's services",
                sign_off.lead_member_name,
                long_date(sign_off.lead_member_signed_on),
            ],
        ],
        "introduction": [{"kind": k, "items": items} for k, items in plan.introduction_blocks()],
        "counts": [
            {"caption": caption, "heading": heading, "rows": [list(row) for row in rows]}
            for caption, heading, rows in (
                ("Actions by status", "Status", summary.by_status),
                ("Actions by delivery rating", "Delivery rating", summary.by_delivery),
                ("Measures of success by impact", "Impact", summary.by_impact),
            )
        ],
        "changes_heading": f"Changes since {since.lower() if since else 'the last issued version'}",
        "changes": list(summary.changes) if since else [],
        "no_changes": (
            f"No approved changes since {since.lower()}."
            if since
            else "This is the first version of the plan."
        ),
        "rag_key": [
            {"colour": _colour(rag.value), "label": rag.label, "definition": definition}
            for rag, definition in plan.rag_key
        ],
        "rag_exception_rule": EXCEPTION_RULE,
        "impact_key": [list(row) for row in plan.impact_key],
        "areas": [
            {
                "title": area.title,
                "recommendations": [
                    {
                        "number": r.number,
                        "heading": f"Recommendation {r.number}"
                        + (" (area for priority action)" if r.priority else ""),
                        "text": r.text,
                        "quiet": " · ".join(
                            part
                            for part in (
                                r.paragraph_reference,
                                f"Senior lead: {r.senior_lead}" if r.senior_lead else "",
                            )
                            if part
                        ),
                        "actions": [_action(a, public) for a in r.actions],
                    }
                    for r in area.recommendations
                ],
            }
            for area in plan.judgement_areas()
        ],
    }


def _action(action: PlanAction, public: bool) -> dict:
    dates = [f"Start: {long_date(action.start_date)}"]
    if action.due_revised:
        dates += [
            f"Due (original): {long_date(action.original_due_date)}",
            f"Due (revised): {long_date(action.due_date)}",
        ]
        if action.due_date_reason:
            dates.append(f"Reason: {action.due_date_reason}")
    else:
        dates.append(f"Due: {long_date(action.due_date)}")
    evidenced = action.impact_evidenced
    if action.measures:
        impact_note = "Impact evidenced." if evidenced else ""
    else:
        impact_note = "No measure recorded" + ("; impact evidenced." if evidenced else ".")
    return {
        "reference": action.reference,
        "description": action.description,
        "lead_officer": action.lead_officer,
        "service_area": action.service_area,
        "dates": "\n".join(dates),
        "measure_of_success": action.measure_of_success,
        "rag": action.rag.label,
        "rag_colour": _colour(action.rag.value),
        "rag_exception": action.exception_line,
        "measures": [
            {
                "text": f"{m.name}: {m.figures}.",
                "word": m.impact_word,
                "colour": IMPACT_COLOURS.get(m.impact, "grey"),
            }
            for m in action.measures
        ],
        "impact_note": impact_note,
        "progress": action.progress or "No approved update yet.",
        "progress_note": (
            f"Approved {long_date(action.progress_on)}; {action.status_label.lower()}"
            if action.progress
            else ""
        ),
        "evidence": [{"title": e.title, "url": None if public else e.url} for e in action.evidence],
    }


def _colour(rag_value: str) -> str:
    return TAG_COLOURS.get(rag_value, rag_value)
