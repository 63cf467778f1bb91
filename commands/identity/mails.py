"""The words of the identity e-mails. They carry links and names, never a password."""

import dataclasses
from datetime import datetime


@dataclasses.dataclass(frozen=True)
class MailText:
    subject: str
    body: str = dataclasses.field(repr=False)


def link(public_url: str, path: str) -> str:
    return public_url.rstrip("/") + path


def invitation_mail(
    *, org_name: str, role: str, inviter: str | None, accept_url: str, expires_at: datetime,
) -> MailText:
    who = inviter or "An administrator"
    return MailText(
        subject=f"You are invited to join {org_name} on copydesk",
        body=(
            f"Hello,\n\n{who} invited you to join {org_name} on copydesk as {role}.\n\n"
            f"Accept the invitation and choose your password here:\n{accept_url}\n\n"
            f"The link works once and until {expires_at:%Y-%m-%d %H:%M} UTC. If you did not"
            " expect this invitation, ignore this e-mail.\n"
        ),
    )


def welcome_mail(*, org_name: str, email: str, sign_in_url: str | None) -> MailText:
    where = f" at {sign_in_url}" if sign_in_url else ""
    return MailText(
        subject=f"Welcome to {org_name} on copydesk",
        body=(
            f"Hello,\n\nan administrator of {org_name} created a copydesk account for you.\n\n"
            f"Sign in{where} with your e-mail address ({email}) and the password your"
            " administrator gives you; copydesk never sends passwords by e-mail. Change it"
            " once you are signed in.\n"
        ),
    )
