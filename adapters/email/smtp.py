"""Sending through an SMTP server with the standard library, in a worker thread."""

import asyncio
import smtplib
import ssl

from adapters.email.message import DeliveryError, OutgoingMail, build_message
from adapters.settings import Settings

MAX_ERROR_LENGTH = 300


class SmtpSender:
    """One connection per mail (mail is rare and the server may close idle connections)."""

    def __init__(
        self, *, host: str, port: int, sender: str, username: str = "", password: str = "",
        starttls: bool = True, use_ssl: bool = False, timeout: float = 30.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username = username
        self._password = password
        self.starttls, self.use_ssl, self.timeout = starttls, use_ssl, timeout

    def __repr__(self) -> str:
        return f"SmtpSender({self.host}:{self.port}, ssl={self.use_ssl}, starttls={self.starttls})"

    @classmethod
    def from_settings(cls, settings: Settings) -> "SmtpSender":
        return cls(host=settings.smtp_host, port=settings.smtp_port, sender=settings.mail_from,
                   username=settings.smtp_username, password=settings.smtp_password,
                   starttls=settings.smtp_starttls, use_ssl=settings.smtp_ssl,
                   timeout=settings.smtp_timeout)

    async def send(self, mail: OutgoingMail) -> None:
        try:
            await asyncio.to_thread(self._send, mail)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise DeliveryError(_short(f"recipient refused: {codes}"),
                                permanent=all(code >= 500 for code in codes)) from None
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryError(_short(f"sign-in refused: {error.smtp_code}")) from None
        except smtplib.SMTPResponseException as error:
            text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) \
                else str(error.smtp_error)
            raise DeliveryError(_short(f"{type(error).__name__} {error.smtp_code} {text}"),
                                permanent=error.smtp_code >= 500) from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(_short(f"{type(error).__name__}: {error}")) from None

    def _send(self, mail: OutgoingMail) -> None:
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if self.use_ssl:
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.starttls and not self.use_ssl:
                client.starttls(context=context)
            if self.username:
                client.login(self.username, self._password)
            client.send_message(build_message(mail, self.sender))


def _short(text: str) -> str:
    return " ".join(text.split())[:MAX_ERROR_LENGTH]
