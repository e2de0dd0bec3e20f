"""Settings. SQLite under instance/ by default; DATABASE_URL selects any other database."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("WORKFLOW_INSTANCE", BASE_DIR / "instance"))


def database_url(url: str | None) -> str:
    """Normalise a database URL so PostgreSQL always goes through psycopg 3."""
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'workflow.sqlite'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def development_secret_key() -> str:
    """A key generated once into instance/, so sessions survive restarts in development."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # PostgreSQL's planner assumes by default that reading a row by index costs four times
    # a row read in order, as on spinning disks. A council's data sits in memory or on SSD,
    # where the two cost about the same; at 4 the planner hashed every user of every
    # authority to name the owners of a dashboard's 25 actions (13 ms, against 0.8 ms).
    POSTGRES_RANDOM_PAGE_COST = float(os.environ.get("POSTGRES_RANDOM_PAGE_COST", "1.1"))
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # The audit trail's HMAC key, kept out of the database; without it one is derived from
    # SECRET_KEY, which then must never change (README, "The audit trail").
    AUDIT_KEY = os.environ.get("AUDIT_KEY") or None
    # Old keys still accepted for sessions while a new SECRET_KEY takes over (comma-separated).
    SECRET_KEY_FALLBACKS = [k for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k]
    # Balancers in front of the app whose X-Forwarded-For/-Proto are believed (0: none).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "evidence"))
    # Evidence files: "folder" (UPLOAD_FOLDER, one server) or "s3" (shared object storage).
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "folder")
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_PREFIX = os.environ.get("S3_PREFIX", "evidence/")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")  # for storage other than AWS's own
    S3_REGION = os.environ.get("S3_REGION", "eu-west-2")
    # Without these, boto3's own chain applies (AWS_* variables, instance roles).
    S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID")
    S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY")
    MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
    # The request limit leaves room for the form fields around an upload.
    MAX_CONTENT_LENGTH = MAX_UPLOAD_BYTES + 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 0
    # A signed-in session ends after this long unused, and this long after signing in,
    # whatever the person does (checked on the server: see accounts/sessions.py).
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", 30)))
    SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_LIFETIME_HOURS", 12)))
    # Pages warn this long before the idle limit, offering to stay signed in.
    SESSION_WARNING_SECONDS = 120
    # No cookie is read once older than a session can live, signed or not.
    PERMANENT_SESSION_LIFETIME = SESSION_LIFETIME
    # Failures in the window before one address waits at one account (and before an account
    # guessed at from many addresses slows each of them down: see accounts/throttling.py).
    SIGN_IN_MAX_FAILURES = 10
    SIGN_IN_MAX_FAILURES_PER_ADDRESS = 50
    SIGN_IN_WINDOW_SECONDS = 300
    PAGE_SIZE = 25
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", 25))
    MAIL_FROM = os.environ.get("MAIL_FROM", "action-plans@localhost")
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "") == "1"
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    # Where emailed links point: there is no request to take the address from in a cron job.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    # A Fernet key (base64, 32 bytes) that encrypts identity providers' client secrets.
    SSO_SECRET_KEY = os.environ.get("SSO_SECRET_KEY")
    # Background jobs: through the broker when one is named, else in a thread of this process.
    JOB_BROKER_URL = os.environ.get("JOB_BROKER_URL") or None
    JOBS_MODE = os.environ.get("JOBS_MODE") or ("broker" if JOB_BROKER_URL else "thread")
    JOB_BROKER_NAMESPACE = os.environ.get("JOB_BROKER_NAMESPACE", "workflow-jobs")
    JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", 4))
    JOB_RETRY_SECONDS = float(os.environ.get("JOB_RETRY_SECONDS", 5))
    JOB_RETRY_MAX_SECONDS = 3600
    JOB_EAGER_RETRY_SECONDS = 0
    # A job still "running" after this long was on a worker that died: it may be claimed again.
    JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", 1800))
    JOB_TIME_LIMIT_SECONDS = int(os.environ.get("JOB_TIME_LIMIT_SECONDS", 1200))
    # /metrics answers only a request carrying this token (Authorization: Bearer ...).
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None


class DevelopmentConfig(Config):
    GENERATE_SECRET_KEY = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    JOBS_MODE = os.environ.get("JOBS_MODE", "eager")


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
