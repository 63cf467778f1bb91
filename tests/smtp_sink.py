"""A real SMTP server (aiosmtpd) on the loopback that keeps every mail it is given, for tests.

It can refuse the next few mails with a temporary or permanent error, and take its time per
mail, to show how senders behave. Each running sink is findable by its port (`sink_on`), so
any copy of a stack's settings leads to the same sink.
"""

import asyncio
import dataclasses
import threading
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support import free_port

_running: dict[int, "SmtpSink"] = {}


@dataclasses.dataclass(frozen=True)
class Received:
    """One mail as it arrived: its envelope recipients and the parsed message."""

    number: int
    recipients: tuple[str, ...]
    message: EmailMessage


class SmtpSink:
    """`smtp_options` go to aiosmtpd's SMTP server (e.g. an `authenticator`)."""

    def __init__(self, **smtp_options: Any) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.received: list[Received] = []
        self.refusals: list[str] = []
        """Replies (e.g. "451 4.3.0 busy") for the next mails, one each, instead of taking them."""
        self.delay_seconds = 0.0
        self._taken: set[int] = set()
        self._changed = threading.Condition()
        self._controller = Controller(self, hostname=self.host, port=self.port, **smtp_options)

    def start(self) -> "SmtpSink":
        self._controller.start()
        _running[self.port] = self
        return self

    def stop(self) -> None:
        _running.pop(self.port, None)
        self._controller.stop()

    def refuse_next(self, *replies: str) -> None:
        with self._changed:
            self.refusals.extend(replies)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        with self._changed:
            if self.refusals:
                return self.refusals.pop(0)
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            self.received.append(Received(number=len(self.received),
                                          recipients=tuple(envelope.rcpt_tos), message=message))
            self._changed.notify_all()
        return "250 2.0.0 OK: queued"

    def take(self, match: Callable[[Received], bool], timeout: float) -> Received | None:
        """The first mail that matches and was not taken before, waiting up to `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for mail in self.received:
                    if mail.number not in self._taken and match(mail):
                        self._taken.add(mail.number)
                        return mail
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)

    def to(self, address: str) -> list[Received]:
        """Every mail received for `address`, taken or not."""
        with self._changed:
            return [m for m in self.received if address.lower() in map(str.lower, m.recipients)]


def sink_on(port: int) -> SmtpSink | None:
    """The running sink that listens on `port`, if any."""
    return _running.get(port)
