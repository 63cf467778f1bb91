"""What is sent, who sends it, and how a failed send is told."""

import dataclasses
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Protocol

KIND_HEADER = "X-Copydesk-Kind"


@dataclasses.dataclass(frozen=True, kw_only=True)
class OutgoingMail:
    """One mail to one recipient; `kind` (welcome, invitation, 2fa_code, …) is what logs show
    instead of the body, which may hold a code or a link."""

    to: str
    subject: str
    body: str = dataclasses.field(repr=False)
    kind: str


class DeliveryError(Exception):
    """A send failed; `permanent` when sending it again cannot help (the server refused it for
    good). The message is short and never holds the body."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class MailSender(Protocol):
    async def send(self, mail: OutgoingMail) -> None:
        """Hand the mail over; DeliveryError (or OSError) when it was not taken."""
        ...


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    message[KIND_HEADER] = mail.kind
    message.set_content(mail.body)
    return message
