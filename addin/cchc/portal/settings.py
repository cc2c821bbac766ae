"""Django settings of the portal, built from cchc.portal.config (environment or TOML file).

DEBUG is always off: a bad request gets a Vietnamese page and a 4xx, never a traceback.
"""

from __future__ import annotations

from cchc.portal.config import current

CONFIG = current()
DATA_DIR = CONFIG.data_dir

SECRET_KEY = CONFIG.secret_key
DEBUG = False
ALLOWED_HOSTS = CONFIG.allowed_hosts

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cchc.portal.apps.PortalConfig",
]

MIDDLEWARE = [
    "cchc.portal.access.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cchc.portal.access.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cchc.portal.access.FirstPasswordMiddleware",
]

# Every login (the portal's page, the admin's) goes through the lock-out after repeated failures.
AUTHENTICATION_BACKENDS = ["cchc.portal.access.ThrottledBackend"]

ROOT_URLCONF = "cchc.portal.urls"
WSGI_APPLICATION = "cchc.portal.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "cchc.portal.views.nav",
    ]},
}]

DATABASES = {"default": CONFIG.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # First passwords only (random, 12 characters, changed at the first login, which re-hashes
    # with the default): creating 3.500 accounts must not take half an hour.
    "cchc.portal.access.FirstPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "cchc.portal.access.PasswordRules"},
]

LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = CONFIG.time_zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# `cchc serve` collects the admin's files here at every start; behind nginx they are served from
# this folder (docs/deploy/nginx-cchc.conf), otherwise by the portal itself (staticfiles.py).
# Readable by everyone whatever the service's umask: they are public, and nginx's user must read
# them without being let into the data folder (CCHC_STATIC_ROOT outside it, docs/trien-khai.md).
STATIC_ROOT = str(CONFIG.static_root)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
                    "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755}},
}

# Uploads: a request body larger than the limit is refused before it is parsed
# (cchc.portal.services.LimitedUploadHandler); small files stay in memory, larger ones go to a
# temporary file; the reader then applies its own limits (size, zip members, unpacked size).
UPLOAD_MAX_BYTES = CONFIG.upload_max_bytes
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # the form fields besides the file
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
(DATA_DIR / "tmp").mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp")
FILE_UPLOAD_HANDLERS = [
    "cchc.portal.services.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end: after CCHC_SESSION_IDLE_MINUTES without a request, CCHC_SESSION_MAX_HOURS after
# the login (cchc.portal.access.SessionExpiryMiddleware), and when the browser closes (a commune's
# shared PC). The row's own expiry is the hard upper bound; `cchc serve` clears old rows at start.
SESSION_COOKIE_AGE = CONFIG.session_max_hours * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CCHC_SESSION_IDLE = CONFIG.session_idle_minutes * 60
CCHC_SESSION_MAX = CONFIG.session_max_hours * 3600
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "cchc.portal.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a reverse proxy (nginx, IIS) that terminates HTTPS. X-Forwarded-Proto and
# X-Forwarded-For are believed only from CCHC_TRUSTED_PROXIES (access.ProxyHeadersMiddleware
# drops them from anyone else), so SECURE_PROXY_SSL_HEADER cannot be forged by a client.
CCHC_TRUSTED_PROXIES = frozenset(CONFIG.trusted_proxies)
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins
if CONFIG.https:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Browsers that have seen the portal over HTTPS never try plain HTTP for it again (the
    # portal's own host name only: no includeSubDomains, no preload list).
    SECURE_HSTS_SECONDS = 365 * 24 * 3600

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"},
                "cchc.portal": {"handlers": ["console"], "level": "INFO"}},
}

# The portal's own settings, for its code.
CCHC_DEADLINE_DAYS = CONFIG.deadline_days
CCHC_FIRST_PASSWORDS = CONFIG.first_passwords
CCHC_LOGIN_MAX_FAILURES = CONFIG.login_max_failures
CCHC_LOGIN_LOCK = CONFIG.login_lock_minutes * 60
