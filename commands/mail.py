"""Mail a command sends: queued beside its events, delivered by the worker."""

from uuid import UUID

from commands.unit_of_work import UnitOfWork

OUTBOX_SQL = (
    "INSERT INTO email_outbox (org_id, recipient, subject, body, kind) VALUES (%s, %s, %s, %s, %s)"
)
WAKE_SQL = "SELECT pg_notify('email_outbox', '')"


def queue_mail(uow: UnitOfWork, *, org_id: UUID | None, to: str, subject: str, body: str,
               kind: str) -> None:
    """`kind` names the mail (welcome, invitation, 2fa_code, …) for logs that must not show it."""
    uow.write_beside(OUTBOX_SQL, org_id, to, subject, body, kind)
    uow.write_beside(WAKE_SQL)
