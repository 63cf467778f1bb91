"""The embedded default: each mail becomes an `.eml` file in a folder, and a log line.

Only here is the body logged, so that a person running `copydesk up` without a mail server
can read the codes and links copydesk sends them.
"""

import asyncio
import re
import time
import uuid
from pathlib import Path

import structlog

from adapters.email.message import OutgoingMail, build_message

log = structlog.get_logger("copydesk.mail")


class FolderSender:
    def __init__(self, folder: Path, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    async def send(self, mail: OutgoingMail) -> None:
        kind = re.sub(r"[^a-z0-9_-]+", "-", mail.kind.lower()) or "mail"
        path = self.folder / f"{time.strftime('%Y%m%dT%H%M%S')}-{kind}-{uuid.uuid4().hex[:8]}.eml"
        data = build_message(mail, self.sender).as_bytes()
        await asyncio.to_thread(self._write, path, data)
        log.info("mail_written_to_outbox", to=mail.to, subject=mail.subject, kind=mail.kind,
                 path=str(path), body=mail.body)

    def _write(self, path: Path, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
