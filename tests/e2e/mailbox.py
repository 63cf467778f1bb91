"""The mail copydesk sent, as a test reads it: wait for a mail to an address, find its code.

This one reads the outbox table of the stack's database, where a command's mail is queued.
"""

import dataclasses
import re
import threading
import time

import psycopg

from tests.support import Stack

_CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
_returned: set[tuple[str, int]] = set()
_lock = threading.Lock()


@dataclasses.dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    kind: str


def _newest_unreturned(stack: Stack, to: str, kind: str | None) -> Mail | None:
    query = ("SELECT id, recipient, subject, body, kind FROM email_outbox"
             " WHERE lower(recipient) = lower(%s) AND (%s::text IS NULL OR kind = %s)"
             " ORDER BY id DESC")
    with psycopg.connect(stack.settings.database_url) as conn:
        rows = conn.execute(query, (to, kind, kind)).fetchall()
    with _lock:
        for mail_id, recipient, subject, body, mail_kind in rows:
            key = (stack.settings.database_url, int(mail_id))
            if key not in _returned:
                _returned.add(key)
                return Mail(to=recipient, subject=subject, body=body, kind=mail_kind)
    return None


def wait_for_mail(stack: Stack, to: str, *, kind: str | None = None,
                  timeout: float = 10.0) -> Mail:
    """The newest mail to `to` (of `kind`, if given) not returned before; AssertionError when
    none comes within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        mail = _newest_unreturned(stack, to, kind)
        if mail is not None:
            return mail
        if time.monotonic() >= deadline:
            raise AssertionError(f"no new mail to {to} (kind {kind}) within {timeout}s")
        time.sleep(0.05)


def code_in(mail: Mail) -> str:
    """The first six-digit code in the mail's body."""
    found = _CODE.search(mail.body)
    assert found is not None, f"no six-digit code in the mail {mail.subject!r}"
    return found.group(0)
