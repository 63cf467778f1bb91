"""Mail delivery: sends what commands queued in `email_outbox`, then forgets it.

Each worker takes one due row at a time with `FOR UPDATE SKIP LOCKED` and keeps it locked while
it sends, so several workers share the outbox and no mail is sent twice (a worker that dies
between the send and the commit sends that one mail again: at least once). A sent mail's row is
deleted, because bodies hold codes and links. A failed send is tried again later with a growing
delay; after `max_attempts`, or at once when the server refused it for good, the row stays as
"dead" for an operator to see: its body emptied, never due again. The worker wakes on the
outbox's NOTIFY and also polls.
"""

import asyncio
import contextlib
import dataclasses
import time
from typing import Any

import psycopg
import structlog

from adapters.email import DeliveryError, MailSender, OutgoingMail, mail_sender
from adapters.postgres import email_outbox
from adapters.settings import Settings

log = structlog.get_logger("copydesk.mail")


@dataclasses.dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """Attempt n failed: wait `first_delay * 2**(n-1)` seconds, at most `max_delay`."""

    max_attempts: int = 8
    first_delay: float = 30.0
    max_delay: float = 3600.0

    def delay(self, attempts: int) -> float:
        return float(min(self.max_delay, self.first_delay * 2 ** (attempts - 1)))


class MailDelivery:
    def __init__(
        self, database_url: str, sender: MailSender, *, retry: RetryPolicy = RetryPolicy(),
        poll_seconds: float = 30.0,
    ) -> None:
        self.database_url = database_url
        self.sender = sender
        self.retry = retry
        self.poll_seconds = poll_seconds
        self.sent = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; a lost database connection is opened again."""
        while not stop.is_set():
            try:
                await self._serve(stop)
            except Exception as error:  # the database went away; start over
                log.warning("mail_delivery_interrupted", error=repr(error))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 1.0)

    async def _serve(self, stop: asyncio.Event) -> None:
        url = self.database_url
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as listener, \
                await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await listener.execute(f"LISTEN {email_outbox.CHANNEL}")
            while not stop.is_set():
                while not stop.is_set() and await self.deliver_one(conn):
                    pass
                await self._wait(listener, conn, stop)

    async def deliver_one(self, conn: psycopg.AsyncConnection[Any]) -> bool:
        """Send the next due mail, if there is one nobody else is sending; False when none."""
        async with conn.transaction():
            due = await email_outbox.take_due(conn, self.retry.max_attempts)
            if due is None:
                return False
            outbox_id, kind, attempts = due.id, due.kind, due.attempts
            mail = OutgoingMail(to=due.recipient, subject=due.subject, body=due.body, kind=kind)
            try:
                await self.sender.send(mail)
            except Exception as error:  # DeliveryError, or anything a sender did not foresee
                await self._failed(conn, outbox_id, kind, attempts + 1, error)
            else:
                await email_outbox.forget_sent(conn, outbox_id)
                self.sent += 1
                log.info("mail_sent", outbox_id=outbox_id, kind=kind, attempt=attempts + 1)
        return True

    async def _failed(
        self, conn: psycopg.AsyncConnection[Any], outbox_id: int, kind: str, attempts: int,
        error: Exception,
    ) -> None:
        reason = str(error)[:300] or type(error).__name__
        permanent = isinstance(error, DeliveryError) and error.permanent
        if permanent or attempts >= self.retry.max_attempts:
            await email_outbox.give_up(conn, outbox_id, attempts, reason)
            log.warning("mail_given_up", outbox_id=outbox_id, kind=kind, attempts=attempts,
                        error=reason)
            return
        delay = self.retry.delay(attempts)
        await email_outbox.retry_later(conn, outbox_id, attempts, reason, delay)
        log.warning("mail_retry_later", outbox_id=outbox_id, kind=kind, attempts=attempts,
                    retry_in=delay, error=reason)

    async def _wait(
        self, listener: psycopg.AsyncConnection[Any], conn: psycopg.AsyncConnection[Any],
        stop: asyncio.Event,
    ) -> None:
        """Until a NOTIFY, the next retry falls due, or the poll interval passes."""
        due_in = await email_outbox.seconds_until_due(conn, self.retry.max_attempts)
        wait = self.poll_seconds
        if due_in is not None:
            wait = max(0.0, min(wait, due_in))
        deadline = time.monotonic() + wait
        while not stop.is_set():  # in short steps, so a stop is seen soon
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            async for _ in listener.notifies(timeout=min(remaining, 1.0), stop_after=1):
                return


async def run_mail_delivery(settings: Settings, stop: asyncio.Event) -> None:
    """The loop `copydesk worker` runs: SMTP when configured, else the outbox folder."""
    sender = mail_sender(settings)
    log.info("mail_delivery_started", sender=type(sender).__name__)
    await MailDelivery(settings.database_url, sender).run(stop)
