"""Settings for TechBridge, read from the environment.

The embedded default needs nothing: an SQLite file, tasks run inline, a local search index.
Production switches on PostgreSQL, Redis and a Celery worker pool through variables documented in
``.env.example``. A production setting that is missing or wrong stops start-up with a clear message.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_env_file(path: Path) -> None:
    """Read ``KEY=value`` lines from ``.env`` without overriding the real environment."""
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


if os.environ.get("TECHBRIDGE_SKIP_DOTENV") != "1":
    _load_env_file(BASE_DIR / ".env")


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


PRODUCTION = env("TECHBRIDGE_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when TECHBRIDGE_ENV=production")
    SECRET_KEY = "dev-only-insecure-key-change-me"

ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "techbridge.core",
    "techbridge.taxonomy",
    "techbridge.organizations",
    "techbridge.accounts",
    "techbridge.achievements",
    "techbridge.demands",
    "techbridge.imports",
    "techbridge.matching",
    "techbridge.mining",
    "techbridge.deals",
    "techbridge.contracts",
    "techbridge.institutions",
    "techbridge.auctions",
    "techbridge.talent",
    "techbridge.valuation",
    "techbridge.instruments",
    "techbridge.carriers",
    "techbridge.events",
    "techbridge.ipservices",
    "techbridge.tto",
    "techbridge.finance",
    "techbridge.subscriptions",
    "techbridge.challenges",
    "techbridge.governance",
    "techbridge.news",
    "techbridge.announcements",
    # The top floor: home page, "my work", console home; reads the registries only.
    "techbridge.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "techbridge.core.strict_query.StrictQueryParamsMiddleware",
    "techbridge.core.pdf_limits.PdfRefusedMiddleware",
    "techbridge.core.outage.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "techbridge.urls"
CSRF_FAILURE_VIEW = "techbridge.core.views.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "techbridge" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "techbridge.core.context_processors.platform",
            ],
        },
    },
]

WSGI_APPLICATION = "techbridge.wsgi.application"


def _database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured(
                "DATABASE_URL must name a database, e.g. postgres://u:p@host/techbridge"
            )
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "TEST": {"NAME": env("DATABASE_TEST_NAME") or None},
        }
    if parsed.scheme == "sqlite":
        path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else ""
        return _sqlite(Path(path) if path else BASE_DIR / "var" / "techbridge.sqlite3")
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use postgres:// or sqlite:///)"
    )


def _sqlite(path: Path) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "techbridge.core.sqlite",
        "NAME": path,
        # kept open between requests: opening one costs ~4 ms (SQLite parses the schema); see core/sqlite
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        # WAL and a busy timeout let the web server and a command write side by side.
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASE_URL = env("DATABASE_URL")
if PRODUCTION and not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("TECHBRIDGE_ENV=production needs DATABASE_URL=postgres://…")
DATABASES = {
    "default": _database_from_url(DATABASE_URL)
    if DATABASE_URL
    else _sqlite(BASE_DIR / "var" / "techbridge.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Our wording: Django 5.2's own message has no Chinese yet (issue 20 point 12).
    {"NAME": "techbridge.accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# How long a sign-in lasts (seconds); classified-protection policies often ask for a working day or less.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600 if PRODUCTION else 14 * 24 * 3600)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
# Sign-in attempts allowed per username in LOGIN_LOCKOUT_SECONDS.
LOGIN_MAX_ATTEMPTS = env_int("LOGIN_MAX_ATTEMPTS", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900)
# API tokens (accounts.ApiToken) expire this many days after they are issued; a user holds at most
# API_TOKEN_MAX_PER_USER active tokens (issuing one more revokes the oldest).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
API_TOKEN_MAX_PER_USER = env_int("API_TOKEN_MAX_PER_USER", 20)
# Offices behind one NAT address share it, so the per-address limit is far looser than the per-user one,
# and it never refuses a right password: an address past it gets each further failure answered only after
# LOGIN_FLOOD_DELAY_SECONDS (techbridge.accounts.services.login_flooded).
LOGIN_MAX_ATTEMPTS_PER_ADDRESS = env_int("LOGIN_MAX_ATTEMPTS_PER_ADDRESS", 50)
LOGIN_FLOOD_DELAY_SECONDS = float(env("LOGIN_FLOOD_DELAY_SECONDS", "1.0"))
# How many reverse proxies stand in front of the app server. 0: the client is REMOTE_ADDR and any
# X-Forwarded-For header is ignored (a client could write anything there); n: the n-th address from the
# right of X-Forwarded-For, which the outermost trusted proxy wrote (techbridge.core.client.client_address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# ISO dates first in Chinese forms: what <input type="date"> accepts (techbridge/formats/zh_Hans).
FORMAT_MODULE_PATH = ["techbridge.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
_htmx_dist = BASE_DIR / "node_modules" / "htmx.org" / "dist"
if _htmx_dist.is_dir():
    STATICFILES_DIRS.append(("vendor/htmx", _htmx_dist))
_chartjs_dist = BASE_DIR / "node_modules" / "chart.js" / "dist"
if _chartjs_dist.is_dir():
    STATICFILES_DIRS.append(("vendor/chartjs", _chartjs_dist))
_swagger_dist = BASE_DIR / "node_modules" / "swagger-ui-dist"
if _swagger_dist.is_dir():
    STATICFILES_DIRS.append(("vendor/swagger-ui", _swagger_dist))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT") or BASE_DIR / "var" / "media")

# Uploads: attachments up to ATTACHMENT_MAX_MB, of the listed types only.
ATTACHMENT_MAX_MB = env_int("ATTACHMENT_MAX_MB", 10)

# Listing files (achievements and demands): images ≤ 5 MB and 40 megapixels, documents (PDF, Word,
# Excel) ≤ 20 MB, so many per listing and kind; video links only to these hosts (and the owner's site).
LISTING_IMAGE_MAX_MB = env_int("LISTING_IMAGE_MAX_MB", 5)
LISTING_DOCUMENT_MAX_MB = env_int("LISTING_DOCUMENT_MAX_MB", 20)
LISTING_MAX_FILES = {"image": 12, "document": 10, "patent_scan": 10}
LISTING_MAX_VIDEOS = 5
LISTING_VIDEO_HOSTS = [
    h.strip()
    for h in (env("LISTING_VIDEO_HOSTS") or "v.qq.com,bilibili.com,youku.com,ixigua.com").split(",")
    if h.strip()
]

# Governance dashboards cache each metric figure this many seconds (the pages say when they were computed).
GOVERNANCE_FIGURE_SECONDS = env_int("GOVERNANCE_FIGURE_SECONDS", 600)
ATTACHMENT_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "png",
    "jpg",
    "jpeg",
    "txt",
    "zip",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CACHE_URL = env("REDIS_URL")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    # The embedded server is one process; production sets REDIS_URL so every worker shares the cache.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "techbridge"}
    }

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "TechBridge <noreply@techbridge.local>")

# Tasks: inline unless a broker is configured; see techbridge.core.tasks.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sweep-listings-daily": {"task": "techbridge.core.tasks.run_daily_sweeps", "schedule": 24 * 3600},
    # Lots close at their deadline with no visitor on the site (techbridge.auctions.scheduler).
    "close-due-auctions": {"task": "techbridge.auctions.tasks.close_due_auctions", "schedule": 10},
    # Dashboards find their figures computed (techbridge.governance.tasks.warm_dashboards).
    "warm-governance-dashboards": {"task": "techbridge.governance.tasks.warm_dashboards", "schedule": 300},
    # Imports whose worker was killed are recovered (techbridge.imports.batches.recover_stale).
    "recover-stale-imports": {"task": "techbridge.imports.recover_stale", "schedule": 300},
    # Notifications held by quiet hours or waiting to be retried (techbridge.core.notifications).
    "send-due-deliveries": {"task": "techbridge.core.tasks.send_due_deliveries", "schedule": 60},
    # Digests of saved searches (techbridge.subscriptions.digests); each runs once per user and period.
    "send-digests": {"task": "techbridge.subscriptions.tasks.send_digests", "schedule": 3600},
    # Deal notices whose period is over end and get their certificate (techbridge.announcements.tasks).
    "end-due-announcements": {
        "task": "techbridge.announcements.tasks.end_due_announcements",
        "schedule": 3600,
    },
}
if (
    PRODUCTION
    and CELERY_BROKER_URL
    and not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "amqp://"))
):
    raise ImproperlyConfigured("CELERY_BROKER_URL must be a redis:// or amqp:// URL")

# An import being checked or run that shows no progress for this long was interrupted (its process killed)
# and is recovered: checked again, queued again, or marked failed and resumable (techbridge.imports.batches).
IMPORT_STALE_MINUTES = env_int("IMPORT_STALE_MINUTES", 15)
# Embedded default without a broker: ``thread`` runs background tasks on one thread of the server process
# (requests answer at once); ``inline`` runs them in the request after it commits (techbridge.core.tasks).
EMBEDDED_TASKS = env("EMBEDDED_TASKS", "thread")
if EMBEDDED_TASKS not in {"thread", "inline"}:
    raise ImproperlyConfigured(f"EMBEDDED_TASKS must be thread or inline, not {EMBEDDED_TASKS!r}")

# Embedded default: the server process runs the daily sweeps itself (see techbridge.core.scheduler).
EMBEDDED_SCHEDULER = env_bool("EMBEDDED_SCHEDULER", True)
SWEEP_INTERVAL_HOURS = env_int("SWEEP_INTERVAL_HOURS", 24)

# Deal announcements (成交公示, techbridge.announcements): the notice period in working days (Monday to
# Friday), the public holidays and the weekend working days (调休) of the State Council's yearly notice as
# ISO dates, and the address printed on transaction certificates in front of the verification path.
ANNOUNCEMENT_PERIOD_WORKING_DAYS = env_int("ANNOUNCEMENT_PERIOD_WORKING_DAYS", 5)
ANNOUNCEMENT_HOLIDAYS: list[str] = []
ANNOUNCEMENT_EXTRA_WORKDAYS: list[str] = []
CERTIFICATE_SITE_URL = env("CERTIFICATE_SITE_URL")
# Wrong certificate codes allowed per client address and window before the verification page refuses.
CERTIFICATE_VERIFY_MAX_FAILURES = env_int("CERTIFICATE_VERIFY_MAX_FAILURES", 20)
CERTIFICATE_VERIFY_WINDOW_SECONDS = env_int("CERTIFICATE_VERIFY_WINDOW_SECONDS", 3600)
# How often the embedded scheduler closes auction lots whose deadline has passed (seconds).
AUCTION_CLOSE_INTERVAL_SECONDS = float(env("AUCTION_CLOSE_INTERVAL_SECONDS", "5"))
# The platform's receiving account for auction deposits (保证金), shown to bidders with their payment
# reference. Unset outside production, pages show a sample account clearly marked 示例 (never to be paid).
DEPOSIT_ACCOUNT_NAME = env("DEPOSIT_ACCOUNT_NAME")
DEPOSIT_ACCOUNT_BANK = env("DEPOSIT_ACCOUNT_BANK")
DEPOSIT_ACCOUNT_NUMBER = env("DEPOSIT_ACCOUNT_NUMBER")

# Audit codes (techbridge.core.audit): refuse to write a code without registered words. On in
# development and in tests, so a new code cannot reach a history table as a raw string.
AUDIT_CODES_STRICT = env_bool("AUDIT_CODES_STRICT", DEBUG)

# Full-text search: "auto" picks FTS5 on SQLite and PostgreSQL full-text search on PostgreSQL.
FULLTEXT_BACKEND = env("FULLTEXT_BACKEND", "auto")

# Matching (techbridge.matching): vector backend auto | local | pgvector, and the notification rule.
MATCH_VECTOR_BACKEND = env("MATCH_VECTOR_BACKEND", "auto")
MATCHING_INDEX_DIR = Path(env("MATCHING_INDEX_DIR") or BASE_DIR / "var" / "index")
MATCH_INDEX_CHECK_SECONDS = float(env("MATCH_INDEX_CHECK_SECONDS", "2.0"))
MATCH_CLAIM_TIMEOUT = env_int("MATCH_CLAIM_TIMEOUT", 300)
# SMS and WeChat notifications: "console" logs them (address masked, no network call), "none" is off.
NOTIFY_SMS_PROVIDER = env("NOTIFY_SMS_PROVIDER", "none" if PRODUCTION else "console")
NOTIFY_WECHAT_PROVIDER = env("NOTIFY_WECHAT_PROVIDER", "none" if PRODUCTION else "console")

MATCH_NOTIFY_THRESHOLD = float(env("MATCH_NOTIFY_THRESHOLD", "0.90"))
MATCH_NOTIFY_TOP = env_int("MATCH_NOTIFY_TOP", 5)
MATCH_NOTIFY_WINDOW_DAYS = env_int("MATCH_NOTIFY_WINDOW_DAYS", 7)
# Dense ranking by cos(q, d) − β·cos(d, centre of the embedding space): β (0 turns it off); see
# techbridge/matching/calibration.py. A title-only stub no longer outranks a described listing on length.
MATCHING_CENTRE_WEIGHT = float(env("MATCHING_CENTRE_WEIGHT", "0.5"))

# Shared instruments: the rule that flags publicly funded large instruments with low external use
# (docs/instruments.md). The thresholds are the platform's rule, not a national figure.
INSTRUMENTS_LOW_USE_WINDOW_MONTHS = env_int("INSTRUMENTS_LOW_USE_WINDOW_MONTHS", 12)
INSTRUMENTS_LOW_USE_MIN_EXTERNAL_HOURS = float(env("INSTRUMENTS_LOW_USE_MIN_EXTERNAL_HOURS", "100"))
INSTRUMENTS_LOW_USE_MIN_EXTERNAL_SHARE = float(env("INSTRUMENTS_LOW_USE_MIN_EXTERNAL_SHARE", "0.20"))
INSTRUMENTS_LOW_USE_MIN_VALUE = float(env("INSTRUMENTS_LOW_USE_MIN_VALUE", "500000"))
MATCH_INLINE_ENCODE_PER_MINUTE = env_int("MATCH_INLINE_ENCODE_PER_MINUTE", 12)
if MATCH_VECTOR_BACKEND not in {"auto", "local", "pgvector"}:
    raise ImproperlyConfigured("MATCH_VECTOR_BACKEND must be auto, local or pgvector")

# Contracts: the 技术合同认定登记 rule set (dotted path of a module like techbridge.contracts.rules.cn2001).
CONTRACT_RULES = env("CONTRACT_RULES", "techbridge.contracts.rules.cn2001")

# Mining: where trained classifier versions are kept (the newest few; see techbridge.mining.classifiers).
MINING_MODEL_DIR = Path(env("MINING_MODEL_DIR") or BASE_DIR / "var" / "models" / "classifiers")

# A listing not updated for this many days is marked stale and its owner reminded.
LISTING_STALE_DAYS = env_int("LISTING_STALE_DAYS", 365)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "techbridge.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "techbridge.core.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "techbridge.core.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "techbridge.core.api.exception_handler",
    "DEFAULT_METADATA_CLASS": "techbridge.core.api.PlainMetadata",
    "DEFAULT_THROTTLE_RATES": {"login": "10/min"},
    # The throttles see the same client address as the sign-in counters (TRUSTED_PROXY_COUNT above).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TechBridge API",
    "DESCRIPTION": "南京科技成果转移转化服务平台 REST API (v1)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # /api/docs/ serves Swagger UI from the npm package (package.json), never from a CDN.
    "SWAGGER_UI_DIST": STATIC_URL + "vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": STATIC_URL + "vendor/swagger-ui/favicon-32x32.png",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": True},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "techbridge.core.strict_query.document_search_alias",
        "techbridge.core.openapi_errors.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ListingFileKindEnum": "techbridge.core.listing_files.FileKind",
        "ResourceKindEnum": "techbridge.instruments.choices.ResourceKind",
        "ServiceKindEnum": "techbridge.instruments.choices.OfferKind",
        "BookingModeEnum": "techbridge.instruments.choices.BookingMode",
        "ModeEnum": ["hybrid", "bm25"],
        "UsageMethodEnum": "techbridge.instruments.choices.UsageMethod",
        "MethodEnum": ["spectral", "ward-hybrid", "kmeans-hybrid", "kmeans"],
        "ReviewStatusEnum": "techbridge.core.workflow.ReviewStatus",
        "OrgKindEnum": "techbridge.organizations.choices.OrgKind",
        "AchievementTypeEnum": "techbridge.achievements.choices.AchievementType",
        "AchievementLegalStatusEnum": "techbridge.achievements.choices.LegalStatus",
        "OrgStatusEnum": "techbridge.organizations.choices.OrgStatus",
        "MembershipStatusEnum": "techbridge.organizations.choices.MembershipStatus",
        "RoomStatusEnum": "techbridge.deals.choices.RoomStatus",
        "RoomOriginEnum": "techbridge.deals.choices.RoomOrigin",
        "OfferStatusEnum": "techbridge.deals.choices.OfferStatus",
        "DisputeStatusEnum": "techbridge.deals.choices.DisputeStatus",
        "ContractStatusEnum": "techbridge.contracts.choices.ContractStatus",
        "ContractOriginEnum": "techbridge.contracts.choices.Origin",
        "ContractPartyKindEnum": "techbridge.contracts.parties.PartyKind",
        "IdentityDocumentEnum": "techbridge.contracts.parties.IdType",
        "DistrictEnum": "techbridge.organizations.choices.District",
        "SessionStatusEnum": "techbridge.auctions.choices.SessionStatus",
        "LotStatusEnum": "techbridge.auctions.choices.LotStatus",
        "RegistrationStatusEnum": "techbridge.auctions.choices.RegistrationStatus",
        "InstitutionStatusEnum": "techbridge.institutions.choices.InstitutionStatus",
        "VerificationStatusEnum": "techbridge.institutions.choices.DesignationStatus",
        # Institutions' self-reports, carriers' annual reports and governance's progress reports:
        # one reviewed-report status set.
        "ReviewedReportStatusEnum": "techbridge.institutions.choices.ReportStatus",
        "CreditEventStatusEnum": "techbridge.institutions.choices.CreditEventStatus",
        "CreditEventKindEnum": "techbridge.institutions.choices.CreditEventKind",
        "ManagerStatusEnum": "techbridge.talent.choices.ManagerStatus",
        "CertificateKindEnum": "techbridge.talent.choices.CertificateKind",
        "TrainingSessionStatusEnum": "techbridge.talent.choices.SessionStatus",
        "EnrolmentStatusEnum": "techbridge.talent.choices.EnrolmentStatus",
        "RoutingStatusEnum": "techbridge.talent.choices.RoutingStatus",
        "DemonstrationLevelEnum": "techbridge.institutions.choices.DemonstrationLevel",
        "ManagerLevelEnum": "techbridge.talent.choices.ManagerLevel",
        "ApplicationDecisionEnum": "techbridge.institutions.choices.APPLICATION_DECISIONS",
        "VerificationDecisionEnum": "techbridge.institutions.choices.VERIFICATION_DECISIONS",
        "SelfReportDecisionEnum": "techbridge.institutions.choices.REPORT_DECISIONS",
        "AppealVerdictEnum": "techbridge.institutions.choices.APPEAL_OUTCOMES",
        "DepositStatusEnum": "techbridge.auctions.choices.DepositStatus",
        "ValuationRequestStatusEnum": "techbridge.valuation.choices.RequestStatus",
        "PackageStatusEnum": "techbridge.mining.choices.PackageStatus",
        "CatalogueStatusEnum": "techbridge.mining.models.Catalogue.Status",
        "ImportBatchStatusEnum": "techbridge.imports.models.ImportBatch.Status",
        "DuplicatePairStatusEnum": "techbridge.imports.models.DuplicatePair.Status",
        "CarrierKindEnum": "techbridge.carriers.choices.CarrierKind",
        "CarrierLevelEnum": "techbridge.carriers.choices.Level",
        "CarrierFamilyEnum": "techbridge.carriers.choices.Family",
        "CarrierStatusEnum": "techbridge.carriers.choices.CarrierStatus",
        "IncubatedFirmStatusEnum": "techbridge.carriers.choices.FirmStatus",
        "EvaluationFormulaStatusEnum": "techbridge.carriers.choices.FormulaStatus",
        "EvaluationGradeEnum": "techbridge.carriers.choices.Grade",
        "InstrumentCategoryEnum": "techbridge.instruments.choices.InstrumentCategory",
        "TalentCategoryEnum": "techbridge.talent.choices.TalentCategory",
        "InstitutionScoreGradeEnum": "techbridge.institutions.choices.ScoreGrade",
        "CreditGradeEnum": "techbridge.institutions.choices.CreditGradeLevel",
        "PolicyConditionVerdictEnum": "techbridge.governance.choices.Verdict",
        "DesignationKindEnum": "techbridge.carriers.choices.DesignationKind",
        "DesignationStatusEnum": "techbridge.carriers.choices.DesignationStatus",
        "ProjectKindEnum": "techbridge.carriers.choices.ProjectKind",
        "ProjectStatusEnum": "techbridge.carriers.choices.ProjectStatus",
        "AllianceStatusEnum": "techbridge.carriers.choices.AllianceStatus",
        "AllianceMemberRoleEnum": "techbridge.carriers.choices.MemberRole",
        "TypicalCaseCategoryEnum": "techbridge.carriers.choices.CaseCategory",
        "EventKindEnum": "techbridge.events.choices.EventKind",
        "EventStatusEnum": "techbridge.events.choices.EventStatus",
        "EventRegistrationStatusEnum": "techbridge.events.choices.RegistrationStatus",
        "ArticleSectionEnum": "techbridge.news.choices.Section",
        "ArticleStatusEnum": "techbridge.news.choices.ArticleStatus",
        "FollowKindEnum": "techbridge.subscriptions.choices.FollowKind",
        "SearchKindEnum": "techbridge.subscriptions.choices.SearchKind",
        "DigestFrequencyEnum": "techbridge.subscriptions.choices.Frequency",
        # Names other apps' enums had before ipservices brought fields of the same names.
        "LegalStatusEnum": "techbridge.valuation.choices.LegalStatus",
        "OutcomeEnum": "techbridge.auctions.choices.CloseOutcome",
        "PatentKindEnum": "techbridge.ipservices.choices.PatentKind",
        "PatentLegalStatusEnum": "techbridge.ipservices.choices.LegalStatus",
        "PatentAlertStatusEnum": "techbridge.ipservices.choices.AlertStatus",
        "AnalysisStatusEnum": "techbridge.ipservices.choices.AnalysisStatus",
        "AssistanceKindEnum": "techbridge.ipservices.choices.AssistanceKind",
        "AssistanceStatusEnum": "techbridge.ipservices.choices.AssistanceStatus",
        "AssistanceOutcomeEnum": "techbridge.ipservices.choices.AssistanceOutcome",
        "IpProviderRoleEnum": "techbridge.ipservices.choices.ProviderRole",
        "NavigationReportStatusEnum": "techbridge.ipservices.choices.ReportStatus",
        "TtoPatentKindEnum": "techbridge.tto.choices.PatentKind",
        "TtoIncomeKindEnum": "techbridge.tto.choices.IncomeKind",
        "TtoOfficeActionKindEnum": "techbridge.tto.choices.ActionKind",
        "TtoDisclosureStatusEnum": "techbridge.tto.choices.DisclosureStatus",
        "TtoApplicationStatusEnum": "techbridge.tto.choices.ApplicationStatus",
        "TtoOpenLicenceStatusEnum": "techbridge.tto.choices.LicenceStatus",
        "TtoDistributionStatusEnum": "techbridge.tto.choices.DistributionStatus",
        "TtoAnnualReportStatusEnum": "techbridge.tto.choices.ReportStatus",
        "TtoAnnuityChoiceEnum": "techbridge.tto.choices.AnnuityChoice",
        "FinanceInvestorKindEnum": "techbridge.finance.choices.InvestorKind",
        "FinanceStageEnum": "techbridge.finance.choices.Stage",
        "FinanceInstrumentEnum": "techbridge.finance.choices.Instrument",
        "FinanceInvestorStatusEnum": "techbridge.finance.choices.InvestorStatus",
        "FinancingRequestStatusEnum": "techbridge.finance.choices.RequestStatus",
        "FinanceIntroductionStatusEnum": "techbridge.finance.choices.IntroStatus",
        "FinanceSideEnum": "techbridge.finance.choices.Side",
        "FinancePipelineStepEnum": "techbridge.finance.choices.PipelineStep",
        "FinanceLoanStatusEnum": "techbridge.finance.choices.LoanStatus",
        "FundCallStatusEnum": "techbridge.finance.choices.CallStatus",
        "FundApplicationStatusEnum": "techbridge.finance.choices.ApplicationStatus",
        "StandingEnum": "techbridge.governance.choices.Standing",
        "ConditionKindEnum": "techbridge.governance.choices.ConditionKind",
        "PolicyLevelEnum": "techbridge.governance.choices.PolicyLevel",
        # Policies and typical cases share one publication status set (draft, published, withdrawn).
        "PublicationStatusEnum": "techbridge.governance.choices.PolicyStatus",
        "MonthlyReportStatusEnum": "techbridge.governance.choices.MonthlyStatus",
        "EvaluationFigureStatusEnum": "techbridge.governance.choices.FigureStatus",
        "DecisionStatusEnum": "techbridge.governance.choices.DecisionStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Phones and e-mails are masked in every log line (个人信息保护法; docs/security.md).
    "filters": {"mask_contacts": {"()": "techbridge.lib.privacy.MaskingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_contacts"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

if PRODUCTION:
    # HTTPS everywhere (docs/operations.md, "HTTPS"). Behind a proxy that ends TLS, set
    # SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO so Django knows the original request was HTTPS.
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # The preload directive does nothing until the domain is submitted to the browsers' preload list.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    _proxy_header = env("SECURE_PROXY_SSL_HEADER")
    if _proxy_header:
        if not _proxy_header.startswith("HTTP_"):
            raise ImproperlyConfigured(
                f"SECURE_PROXY_SSL_HEADER must name a request header as HTTP_…, not {_proxy_header!r}"
            )
        SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
    if SECRET_KEY.startswith("dev-only"):
        raise ImproperlyConfigured("SECRET_KEY must be changed for production")
    if not CACHE_URL:
        # Sign-in counters, throttles and dashboards must be shared by every worker (docs/operations.md).
        raise ImproperlyConfigured("TECHBRIDGE_ENV=production needs REDIS_URL=redis://… for the shared cache")
