"""The tracker: one row per action, the shape the Excel and CSV exports share."""

from datetime import date

from workflow.plans.builder import Plan, PlanAction, PlanRecommendation

COLUMNS = [
    "Recommendation",
    "Ref",
    "Action",
    "Lead officer",
    "Service area",
    "Start date",
    "Original due date",
    "Due date",
    "Status",
    "RAG",
    "Measure of success",
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
        recommendation.number,
        action.reference,
        action.description,
        action.lead_officer,
        action.service_area,
        action.start_date,
        action.original_due_date,
        action.due_date,
        action.status_label,
        action.rag.label,
        action.measure_of_success,
        action.progress,
        action.progress_on,
        "\n".join(evidence_line(item) for item in action.evidence),
    ]


def evidence_line(item) -> str:
    return f"{item.title} ({item.url})" if item.url else item.title
