"""The mail copydesk sent, as a test reads it: wait for a mail to an address, find its code.

The stack's worker delivers the outbox over SMTP to the session's sink (`tests.smtp_sink`),
a real SMTP server in the test process; this reads what that server received. One sink serves
the whole session, so tests tell their mails apart by recipient (each test's users have
addresses of their own).
"""

import dataclasses
import re

from tests.smtp_sink import Received, sink_on
from tests.support import Stack

_CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
KIND_HEADER = "X-Copydesk-Kind"


@dataclasses.dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    kind: str


def wait_for_mail(stack: Stack, to: str, *, kind: str | None = None,
                  timeout: float = 10.0) -> Mail:
    """The first mail to `to` (of `kind`, if given) that no call returned before, in the order
    they arrived, waiting up to `timeout` seconds for one; AssertionError when none comes.

    Mail is delivered a moment after the request that caused it, so a test triggers a mail and
    then waits for it; as each mail is returned once, reading every mail one causes keeps the
    next call on the next mail.
    """
    sink = sink_on(stack.settings.smtp_port) if stack.settings.smtp_host else None
    assert sink is not None, "this stack sends no mail to a test SMTP server"
    address = to.strip().lower()

    def matches(mail: Received) -> bool:
        return (address in (r.lower() for r in mail.recipients)
                and (kind is None or mail.message[KIND_HEADER] == kind))

    found = sink.take(matches, timeout)
    if found is None:
        seen = [(m.message[KIND_HEADER], m.message["Subject"]) for m in sink.to(address)]
        raise AssertionError(f"no new mail to {to} (kind {kind}) within {timeout}s; "
                             f"all mail to it so far: {seen}")
    message = found.message
    part = message.get_body(preferencelist=("plain",))
    body = part.get_content() if part is not None else ""
    recipient = next(r for r in found.recipients if r.lower() == address)
    return Mail(to=recipient, subject=str(message["Subject"]), body=str(body),
                kind=str(message[KIND_HEADER]))


def code_in(mail: Mail) -> str:
    """The first six-digit code in the mail's body."""
    found = _CODE.search(mail.body)
    assert found is not None, f"no six-digit code in the mail {mail.subject!r}"
    return found.group(0)
