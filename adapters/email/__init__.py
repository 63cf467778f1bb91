"""Sending e-mail: by SMTP in production, into a folder (and the log) on the embedded default."""

from adapters.email.folder import FolderSender
from adapters.email.message import DeliveryError, MailSender, OutgoingMail
from adapters.email.smtp import SmtpSender
from adapters.settings import Settings

__all__ = ["DeliveryError", "FolderSender", "MailSender", "OutgoingMail", "SmtpSender",
           "mail_sender"]


def mail_sender(settings: Settings) -> MailSender:
    """SMTP when a host is set; otherwise the outbox folder under `home`."""
    if settings.smtp_host:
        return SmtpSender.from_settings(settings)
    return FolderSender(settings.home / "outbox", settings.mail_from)
