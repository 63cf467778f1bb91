"""Typed settings, read once from the environment by each entrypoint and passed down."""

import dataclasses
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit


@dataclasses.dataclass(frozen=True, kw_only=True)
class Settings:
    database_url: str = ""
    """PostgreSQL URL; empty: the embedded server under `home`."""
    nats_url: str = ""
    """NATS URL; empty: the embedded server under `home`."""
    home: Path = Path(".copydesk")
    """Data folder of the embedded default (databases, NATS store, keys, outbox)."""
    secret_key: str = ""
    """Signs JWTs; empty: a random key kept in `home/secret_key`."""
    host: str = "127.0.0.1"
    port: int = 8000
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    consistency_wait_seconds: float = 5.0
    """How long a command waits for the projections its caller reads next."""
    log_level: str = "info"
    db_pool_size: int = 8
    """Connections of the read pool of one API process."""
    snapshot_every: int = 200
    """A command snapshots an aggregate it loaded this many events past its last snapshot
    (0: never)."""
    events_stream: str = "EVENTS"
    events_subject: str = "events"
    """Subjects of the stream are `<events_subject>.<context>.<EventName>`."""
    demo_org: bool = True
    """`copydesk up` creates a demo organization on first start."""
    files_dir: Path | None = None
    """Where uploaded files are kept; None: `home/files`. Ignored when `s3_endpoint` is set."""
    s3_endpoint: str = ""
    s3_bucket: str = ""
    s3_region: str = "us-east-1"
    s3_access_key: str = ""
    s3_secret_key: str = ""
    temp_token_minutes: int = 5
    """Lifetime of the token between a right password and the second factor (or its setup)."""
    email_code_seconds: int = 600
    """How long an e-mailed one-time code is valid."""
    email_code_resend_seconds: int = 30
    """How long after sending a code another one may be asked for."""
    totp_issuer: str = "copydesk"
    """The issuer name authenticator apps show next to the account."""
    anthropic_api_key: str = dataclasses.field(default="", repr=False)
    """Platform key for Anthropic; empty: only organizations' own keys (else the template writer)."""
    openai_api_key: str = dataclasses.field(default="", repr=False)
    deepseek_api_key: str = dataclasses.field(default="", repr=False)
    google_api_key: str = dataclasses.field(default="", repr=False)
    anthropic_base_url: str = "https://api.anthropic.com"
    openai_base_url: str = "https://api.openai.com/v1"
    deepseek_base_url: str = "https://api.deepseek.com"
    google_base_url: str = "https://generativelanguage.googleapis.com/v1beta/openai/"
    """Google Gemini's OpenAI-compatible endpoint."""
    llm_concurrency: int = 32
    """Calls in flight at once per LLM provider, per process."""
    llm_timeout_seconds: float = 60.0
    """Longest wait for one LLM call before it counts as failed (and may be retried)."""
    embeddings_provider: str = "local"
    """`local` (multilingual-e5-small, offline), `openai` (text-embedding-3-small with the
    platform's OpenAI key and base URL) or `off` (nothing is embedded; searches rank by
    words alone)."""
    embeddings_model: str = "text-embedding-3-small"
    """The OpenAI embedding model (`openai` only). Changing it makes every row embedded with
    another model pending again; searches by meaning only see rows of the current model."""
    embeddings_timeout_seconds: float = 30.0
    """Longest wait for one embeddings call before it counts as failed (and may be retried)."""
    smtp_host: str = ""
    """SMTP server for outgoing mail; empty: each mail is written to `home/outbox` and logged
    (the embedded default, so a person can read their codes)."""
    smtp_port: int = 587
    smtp_username: str = ""
    """Empty: send without signing in."""
    smtp_password: str = dataclasses.field(default="", repr=False)
    smtp_starttls: bool = True
    """Upgrade the connection with STARTTLS before signing in and sending."""
    smtp_ssl: bool = False
    """Speak TLS from the first byte (SMTPS, usually port 465) instead of STARTTLS."""
    smtp_timeout: float = 30.0
    mail_from: str = "copydesk <no-reply@copydesk.local>"
    """The From address of every mail."""
    public_url: str = ""
    """Base of the links in mails (`https://app.example.com`); empty: `http://<host>:<port>`
    of the API."""
    pages_origin: str = ""
    """The origin HTML pages are served from (`https://pages.example.com`, another host than
    the API's, so the API's cookies are never sent to a page); empty: the API's own."""
    job_kinds: str = ""
    """Extra job kinds, "module:attr,…" (a JobKind, a list of them, or a function giving them)."""
    sse_heartbeat_seconds: float = 15.0
    """Silence after which an event stream sends a heartbeat comment."""
    max_upload_mb: float = 200.0
    """Largest catalog file an upload may carry (413 above)."""
    import_wait_seconds: float = 600.0
    """How long a file upload waits for its import job before answering 202 with the job."""
    projections: str = ""
    """The projections `copydesk projector` runs, "billing,audit"; empty: every one."""
    feed_timeout_seconds: float = 30.0
    """Longest fetch of an external product feed (redirects included)."""
    feed_max_mb: float = 20.0
    """Largest body of an external product feed."""
    feeds_allow_loopback: bool = False
    """Tests only: let feed URLs reach loopback addresses (local fake servers)."""
    stores_allow_loopback: bool = False
    """Tests only: let store connections reach loopback addresses (local fake servers)."""
    store_timeout_seconds: float = 30.0
    """Longest call to a connected store (a 429's wait included)."""
    unsplash_base_url: str = "https://api.unsplash.com"
    pexels_base_url: str = "https://api.pexels.com"
    unsplash_access_key: str = dataclasses.field(default="", repr=False)
    """Platform Unsplash key; empty: only organizations' own stock-photo keys."""
    pexels_api_key: str = dataclasses.field(default="", repr=False)
    """Platform Pexels key; empty: only organizations' own stock-photo keys."""
    stock_timeout_seconds: float = 15.0
    """Longest call to a stock-photo provider."""
    blog_image_max_mb: float = 10.0
    """Largest blog image an upload or a download may carry (413 / 422 above)."""
    blog_publish_concurrency: int = 8
    """Blog posts the scheduler worker publishes to WordPress at once."""
    blog_retry_attempts: int = 5
    """Attempts of a scheduled publish WordPress could not take before it is given up."""
    blog_retry_seconds: float = 30.0
    """Wait after a scheduled publish's first failed attempt (doubled after each)."""
    blog_poll_seconds: float = 0.5
    """Longest the scheduler worker sleeps before it looks for due posts again."""

    @property
    def jobs_stream(self) -> str:
        """The work queue of job units, named after the events stream."""
        return f"{self.events_stream}_JOBS"

    @property
    def jobs_subject(self) -> str:
        """Units are published on `<jobs_subject>.<kind>`."""
        return f"{self.events_subject}_jobs"

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        env = os.environ
        values: dict[str, object] = {
            "database_url": env.get("DATABASE_URL", ""),
            "nats_url": env.get("NATS_URL", ""),
            "home": Path(env.get("COPYDESK_HOME", ".copydesk")),
            "secret_key": env.get("COPYDESK_SECRET_KEY", ""),
            "log_level": env.get("COPYDESK_LOG_LEVEL", "info"),
        }
        if "COPYDESK_EVENTS_STREAM" in env:
            values["events_stream"] = env["COPYDESK_EVENTS_STREAM"]
        if "COPYDESK_EVENTS_SUBJECT" in env:
            values["events_subject"] = env["COPYDESK_EVENTS_SUBJECT"]
        if "COPYDESK_FILES_DIR" in env:
            values["files_dir"] = Path(env["COPYDESK_FILES_DIR"])
        for field in ("s3_endpoint", "s3_bucket", "s3_region", "s3_access_key", "s3_secret_key"):
            name = "COPYDESK_" + field.upper()
            if name in env:
                values[field] = env[name]
        if "COPYDESK_JOB_KINDS" in env:
            values["job_kinds"] = env["COPYDESK_JOB_KINDS"]
        if "COPYDESK_PROJECTIONS" in env:
            values["projections"] = env["COPYDESK_PROJECTIONS"]
        if "COPYDESK_SSE_HEARTBEAT" in env:
            values["sse_heartbeat_seconds"] = float(env["COPYDESK_SSE_HEARTBEAT"])
        for name in ("max_upload_mb", "import_wait_seconds"):
            if f"COPYDESK_{name.upper()}" in env:
                values[name] = float(env[f"COPYDESK_{name.upper()}"])
        values.update(_feed_values(env))
        values.update(_blog_values(env))
        if "COPYDESK_DB_POOL_SIZE" in env:
            values["db_pool_size"] = int(env["COPYDESK_DB_POOL_SIZE"])
        for name in ("email_code_seconds", "email_code_resend_seconds", "snapshot_every"):
            if f"COPYDESK_{name.upper()}" in env:
                values[name] = int(env[f"COPYDESK_{name.upper()}"])
        values.update(_llm_values(env))
        values.update(_stock_values(env))
        values.update(_mail_settings(env))
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def links_base(self) -> str:
        """Where the links in mails point: `public_url`, or this API's own address."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def with_secret_key(self) -> "Settings":
        """These settings with a signing key: the given one, or one kept under `home`."""
        if self.secret_key:
            return self
        path = self.home / "secret_key"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return dataclasses.replace(self, secret_key=path.read_text().strip())


FEED_ENV = {"feed_timeout_seconds": "COPYDESK_FEED_TIMEOUT_SECONDS",
            "feed_max_mb": "COPYDESK_FEED_MAX_MB",
            "feeds_allow_loopback": "COPYDESK_FEEDS_ALLOW_LOOPBACK",
            "stores_allow_loopback": "COPYDESK_STORES_ALLOW_LOOPBACK",
            "store_timeout_seconds": "COPYDESK_STORE_TIMEOUT_SECONDS"}
"""Settings field -> environment variable, for calls to URLs customers give (external
product feeds, connected stores)."""


def _feed_values(env: Mapping[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for field, name in FEED_ENV.items():
        if name in env:
            try:
                values[field] = (_flag(env[name]) if field.endswith("_allow_loopback")
                                 else float(env[name]))
            except ValueError as error:
                raise ValueError(f"{name}: {error}") from None
    return values


def check_origin(value: str) -> str:
    """`scheme://host[:port]` without a path (empty stays empty); ValueError otherwise."""
    origin = value.strip().rstrip("/")
    parts = urlsplit(origin)
    if not origin:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise ValueError("must be an origin such as https://pages.example.com")
    return origin
BLOG_ENV = {"blog_publish_concurrency": "COPYDESK_BLOG_PUBLISH_CONCURRENCY",
            "blog_retry_attempts": "COPYDESK_BLOG_RETRY_ATTEMPTS",
            "blog_retry_seconds": "COPYDESK_BLOG_RETRY_SECONDS",
            "blog_poll_seconds": "COPYDESK_BLOG_POLL_SECONDS"}
"""Settings field -> environment variable, for the blog scheduler worker."""


def _blog_values(env: Mapping[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for field, name in BLOG_ENV.items():
        if name in env:
            kind = int if field in ("blog_publish_concurrency", "blog_retry_attempts") else float
            try:
                values[field] = kind(env[name])
            except ValueError as error:
                raise ValueError(f"{name}: {error}") from None
    return values


def blog_env(settings: Settings) -> dict[str, str]:
    """The blog scheduler settings as environment variables, for child processes."""
    return {name: str(getattr(settings, field)) for field, name in BLOG_ENV.items()}


def feed_env(settings: Settings) -> dict[str, str]:
    """The feed settings as environment variables, for child processes."""
    return {name: str(getattr(settings, field)).lower() if field.endswith("_allow_loopback")
            else str(getattr(settings, field)) for field, name in FEED_ENV.items()}


LLM_ENV = {
    "anthropic_api_key": "ANTHROPIC_API_KEY", "openai_api_key": "OPENAI_API_KEY",
    "deepseek_api_key": "DEEPSEEK_API_KEY", "google_api_key": "GOOGLE_API_KEY",
    "anthropic_base_url": "COPYDESK_ANTHROPIC_BASE_URL", "openai_base_url": "COPYDESK_OPENAI_BASE_URL",
    "deepseek_base_url": "COPYDESK_DEEPSEEK_BASE_URL", "google_base_url": "COPYDESK_GOOGLE_BASE_URL",
    "llm_concurrency": "COPYDESK_LLM_CONCURRENCY", "llm_timeout_seconds": "COPYDESK_LLM_TIMEOUT_SECONDS",
    "embeddings_provider": "COPYDESK_EMBEDDINGS", "embeddings_model": "COPYDESK_EMBEDDINGS_MODEL",
    "embeddings_timeout_seconds": "COPYDESK_EMBEDDINGS_TIMEOUT_SECONDS",
}
"""Settings field -> environment variable, for the LLM providers."""


def _llm_values(env: Mapping[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for field, name in LLM_ENV.items():
        if env.get(name, "").strip():
            values[field] = env[name].strip()
    if "llm_concurrency" in values:
        values["llm_concurrency"] = int(str(values["llm_concurrency"]))
    for seconds in ("llm_timeout_seconds", "embeddings_timeout_seconds"):
        if seconds in values:
            values[seconds] = float(str(values[seconds]))
    return values


def llm_env(settings: Settings) -> dict[str, str]:
    """The LLM settings as environment variables, for child processes."""
    return {name: str(getattr(settings, field)) for field, name in LLM_ENV.items()
            if str(getattr(settings, field))}


STOCK_ENV = {"unsplash_base_url": "COPYDESK_UNSPLASH_BASE_URL",
             "pexels_base_url": "COPYDESK_PEXELS_BASE_URL",
             "unsplash_access_key": "UNSPLASH_ACCESS_KEY", "pexels_api_key": "PEXELS_API_KEY",
             "stock_timeout_seconds": "COPYDESK_STOCK_TIMEOUT_SECONDS",
             "blog_image_max_mb": "COPYDESK_BLOG_IMAGE_MAX_MB"}
"""Settings field -> environment variable, for stock photos and blog images."""


def _stock_values(env: Mapping[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for field, name in STOCK_ENV.items():
        if env.get(name, "").strip():
            raw = env[name].strip()
            try:
                values[field] = float(raw) if field.endswith(("_seconds", "_mb")) else raw
            except ValueError as error:
                raise ValueError(f"{name}: {error}") from None
    return values


def stock_env(settings: Settings) -> dict[str, str]:
    """The stock-photo settings as environment variables, for child processes."""
    return {name: str(getattr(settings, field)) for field, name in STOCK_ENV.items()
            if str(getattr(settings, field))}


def _flag(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"must be true or false, not {raw!r}")


_MAIL_ENV: dict[str, tuple[str, Callable[[str], object]]] = {
    "COPYDESK_SMTP_HOST": ("smtp_host", str),
    "COPYDESK_SMTP_PORT": ("smtp_port", int),
    "COPYDESK_SMTP_USERNAME": ("smtp_username", str),
    "COPYDESK_SMTP_PASSWORD": ("smtp_password", str),
    "COPYDESK_SMTP_STARTTLS": ("smtp_starttls", _flag),
    "COPYDESK_SMTP_SSL": ("smtp_ssl", _flag),
    "COPYDESK_SMTP_TIMEOUT": ("smtp_timeout", float),
    "COPYDESK_MAIL_FROM": ("mail_from", str),
    "COPYDESK_PUBLIC_URL": ("public_url", str),
    "COPYDESK_PAGES_ORIGIN": ("pages_origin", check_origin),
}
"""The mail settings and the public addresses links are made of."""


def _mail_settings(env: Mapping[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for name, (field, parse) in _MAIL_ENV.items():
        if name in env:
            try:
                values[field] = parse(env[name])
            except ValueError as error:
                raise ValueError(f"{name}: {error}") from None
    return values


def mail_env(settings: Settings) -> dict[str, str]:
    """The mail settings as the environment variables `from_env` reads (for child processes)."""
    env = {}
    for name, (field, _) in _MAIL_ENV.items():
        value = getattr(settings, field)
        env[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return env
