"""The data model, one module per aggregate."""

from workflow.models.action import Action, ActionStatus, Rag
from workflow.models.audit import AuditEvent, AuditHead
from workflow.models.authority import DEFAULT_AT_RISK_DAYS, Authority, ServiceArea
from workflow.models.base import Base, utcnow
from workflow.models.cover import ReviewCover
from workflow.models.evidence import Evidence, EvidenceKind
from workflow.models.identity import (
    EmailChange,
    IdentityProvider,
    Invitation,
    PasswordReset,
    RecoveryCode,
    SsoRequest,
)
from workflow.models.inspection import Inspection, InspectionKind, Judgement, Recommendation
from workflow.models.job import Job, JobState
from workflow.models.measure import Measure, MeasureValue
from workflow.models.partner import ActionPartner, InvitationAction
from workflow.models.plan import PlanVersion, PrivacyClearance, UpdateRedaction
from workflow.models.reminder import ReminderLog
from workflow.models.report import MonitoringNote, ReportImport, ReportParagraph
from workflow.models.sign_in_session import SessionEnd, SignInMethod, SignInSession
from workflow.models.tokens import ApiToken
from workflow.models.update import ProgressUpdate, ReviewComment, ReviewKind, UpdateState
from workflow.models.user import Role, SignInAttempt, User

__all__ = [
    "Action",
    "ActionPartner",
    "ActionStatus",
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "Authority",
    "Base",
    "DEFAULT_AT_RISK_DAYS",
    "EmailChange",
    "Evidence",
    "EvidenceKind",
    "IdentityProvider",
    "Inspection",
    "Invitation",
    "InvitationAction",
    "InspectionKind",
    "Job",
    "JobState",
    "Judgement",
    "Measure",
    "MeasureValue",
    "MonitoringNote",
    "PasswordReset",
    "PlanVersion",
    "UpdateRedaction",
    "PrivacyClearance",
    "ProgressUpdate",
    "Rag",
    "ReportImport",
    "ReportParagraph",
    "Recommendation",
    "RecoveryCode",
    "ReminderLog",
    "ReviewComment",
    "ReviewCover",
    "ReviewKind",
    "Role",
    "ServiceArea",
    "SessionEnd",
    "SignInAttempt",
    "SignInMethod",
    "SignInSession",
    "SsoRequest",
    "UpdateState",
    "User",
    "utcnow",
]
