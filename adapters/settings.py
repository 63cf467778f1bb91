"""Typed settings, read once from the environment by each entrypoint and passed down."""

import dataclasses
import os
import secrets
from pathlib import Path


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
    events_stream: str = "EVENTS"
    events_subject: str = "events"
    """Subjects of the stream are `<events_subject>.<context>.<EventName>`."""
    demo_org: bool = True
    """`copydesk up` creates a demo organization on first start."""
    job_kinds: str = ""
    """Extra job kinds, "module:attr,…" (a JobKind, a list of them, or a function giving them)."""
    sse_heartbeat_seconds: float = 15.0
    """Silence after which an event stream sends a heartbeat comment."""

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
        if "COPYDESK_JOB_KINDS" in env:
            values["job_kinds"] = env["COPYDESK_JOB_KINDS"]
        if "COPYDESK_SSE_HEARTBEAT" in env:
            values["sse_heartbeat_seconds"] = float(env["COPYDESK_SSE_HEARTBEAT"])
        if "COPYDESK_DB_POOL_SIZE" in env:
            values["db_pool_size"] = int(env["COPYDESK_DB_POOL_SIZE"])
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

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
