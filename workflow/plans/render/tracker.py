"""The tracker: one row per action, the shape the Excel and CSV exports share.

Each row carries its recommendation's full text, so a filtered sheet still reads on its own,
and both ratings: delivery (the RAG, with any reviewer's exception beside it) and the impact
of each measure of success.
"""

from datetime import date

from workflow.plans.builder import Plan, PlanAction, PlanRecommendation

RAG_COLUMN = "Delivery rating (RAG)"
EXCEPTION_COLUMN = "RAG exception"
COLUMNS = [
    "Judgement area",
    "Recommendation",
    "Recommendation text",
    "Report paragraphs",
    "Senior lead",
    "Ref",
    "Action",
    "Lead officer",
    "Service area",
    "Start date",
    "Original due date",
    "Due date",
    "Reason due date revised",
    "Status",
    RAG_COLUMN,
    EXCEPTION_COLUMN,
    "Measure of success",
    "Measures (latest against target and baseline)",
    "Impact",
    "Impact evidenced",
    "Progress (latest approved update)",
    "Progress approved on",
    "Evidence",
]
DATE_COLUMNS = {"Start date", "Original due date", "Due date", "Progress approved on"}

Cell = str | int | date | None


def tracker_rows(plan: Plan) -> list[list[Cell]]:
    return [_row(recommendation, action) for recommendation, action in plan.actions()]


def _row(recommendation: PlanRecommendation, action: PlanAction) -> list[Cell]:
    return [
        recommendation.judgement_area,
        recommendation.number,
        recommendation.text,
        ", ".join(str(n) for n in sorted(recommendation.paragraphs)),
        recommendation.senior_lead,
        action.reference,
        action.description,
        action.lead_officer,
        action.service_area,
        action.start_date,
        action.original_due_date,
        action.due_date,
        action.due_date_reason,
        action.status_label,
        action.rag.label,
        action.exception_line,
        action.measure_of_success,
        "\n".join(f"{m.name}: {m.figures}" for m in action.measures),
        "\n".join(m.impact_word for m in action.measures),
        "Yes" if action.impact_evidenced else "No",
        action.progress,
        action.progress_on,
        "\n".join(item.title for item in action.evidence),
    ]
