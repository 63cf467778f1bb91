"""Mail a command sends: queued beside its events, delivered by the worker."""

from uuid import UUID

from adapters.postgres import email_outbox
from commands.unit_of_work import UnitOfWork


def queue_mail(uow: UnitOfWork, *, org_id: UUID | None, to: str, subject: str, body: str,
               kind: str) -> None:
    """`kind` names the mail (welcome, invitation, 2fa_code, …) for logs that must not show it."""
    uow.write_beside(email_outbox.queue(org_id, to, subject, body, kind))
    uow.write_beside(email_outbox.wake())
