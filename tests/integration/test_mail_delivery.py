"""Mail delivery from the outbox to a real SMTP server: sent once, retried, given up, shared."""

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from adapters.email import DeliveryError, FolderSender, OutgoingMail, SmtpSender, mail_sender
from adapters.postgres import email_outbox
from adapters.settings import Settings
from tests.smtp_sink import SmtpSink
from tests.support import Processes, scalar, wait_until
from workers.mail import MailDelivery, RetryPolicy

BODY = "Your code is 493817. It works for ten minutes."
QUICK = RetryPolicy(max_attempts=3, first_delay=0.05, max_delay=0.2)


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    started = SmtpSink().start()
    try:
        yield started
    finally:
        started.stop()


def sender_for(sink: SmtpSink, **options: Any) -> SmtpSender:
    return SmtpSender(host=sink.host, port=sink.port, sender="copydesk <no-reply@copydesk.test>",
                      starttls=False, timeout=5, **options)


def queue(settings: Settings, count: int = 1, body: str = BODY, kind: str = "2fa_code") -> None:
    """Mail queued as a command queues it: rows and a NOTIFY, committed together."""
    with psycopg.connect(settings.database_url) as conn:
        writes = [email_outbox.queue(uuid4(), f"ada-{n}@example.test", f"mail {n}", body, kind)
                  for n in range(count)]
        for write in [*writes, email_outbox.wake()]:
            conn.execute(write.sql, write.params)


def outbox(settings: Settings) -> list[tuple[Any, ...]]:
    with psycopg.connect(settings.database_url) as conn:
        return conn.execute("SELECT attempts, last_error, body, not_before = 'infinity'"
                            " FROM email_outbox ORDER BY id").fetchall()


@asynccontextmanager
async def delivering(*deliveries: MailDelivery) -> AsyncIterator[None]:
    stop = asyncio.Event()
    tasks = [asyncio.create_task(d.run(stop)) for d in deliveries]
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 10)


async def until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


async def test_a_queued_mail_is_sent_over_smtp_and_then_forgotten(
    database: Settings, sink: SmtpSink,
) -> None:
    queue(database)
    async with delivering(MailDelivery(database.database_url, sender_for(sink))):
        await until(lambda: len(sink.received) == 1, 10, "the mail")
        await until(lambda: outbox(database) == [], 5, "the row to go")
    [mail] = sink.received
    assert mail.recipients == ("ada-0@example.test",)
    message = mail.message
    assert (message["To"], message["Subject"]) == ("ada-0@example.test", "mail 0")
    assert message["From"] == "copydesk <no-reply@copydesk.test>"
    assert message["X-Copydesk-Kind"] == "2fa_code"
    assert message.get_content().strip() == BODY


async def test_a_mail_the_server_refuses_for_now_is_sent_again_later(
    database: Settings, sink: SmtpSink,
) -> None:
    sink.refuse_next("451 4.3.0 mailbox busy, try again")
    queue(database)
    retry = RetryPolicy(first_delay=1.0)
    async with delivering(MailDelivery(database.database_url, sender_for(sink), retry=retry)):
        await until(lambda: [r[0] for r in outbox(database)] == [1], 10, "the first failure")
        [(_, error, body, dead)] = outbox(database)
        assert "451" in error and "493817" not in error
        assert body == BODY and not dead
        await until(lambda: len(sink.received) == 1, 10, "the second attempt")
        await until(lambda: outbox(database) == [], 5, "the row to go")
    assert sink.received[0].message.get_content().strip() == BODY


@pytest.mark.parametrize(("replies", "attempts"), [
    (["550 5.1.1 no such mailbox"], 1),
    (["451 4.3.0 busy"] * 3, 3),
])
async def test_a_mail_refused_for_good_or_too_often_is_given_up_without_its_body(
    database: Settings, sink: SmtpSink, replies: list[str], attempts: int,
) -> None:
    sink.refuse_next(*replies)
    queue(database)
    async with delivering(MailDelivery(database.database_url, sender_for(sink), retry=QUICK)):
        await until(lambda: [r[3] for r in outbox(database)] == [True], 10, "giving up")
    [(tried, error, body, dead)] = outbox(database)
    assert (tried, body, dead) == (attempts, "", True)
    assert replies[0][:3] in error
    assert sink.received == []


async def test_two_workers_share_the_outbox_and_never_send_a_mail_twice(
    database: Settings, sink: SmtpSink,
) -> None:
    sink.delay_seconds = 0.02  # each send takes a while, so both workers are busy at once
    queue(database, 40)
    workers = [MailDelivery(database.database_url, sender_for(sink)) for _ in range(2)]
    async with delivering(*workers):
        await until(lambda: len(sink.received) >= 40 and outbox(database) == [], 30,
                    "every mail")
        await asyncio.sleep(0.3)  # a mail sent twice would arrive now
    subjects = sorted(str(m.message["Subject"]) for m in sink.received)
    assert subjects == sorted(f"mail {n}" for n in range(40))
    assert all(w.sent > 0 for w in workers), [w.sent for w in workers]
    assert sum(w.sent for w in workers) == 40


async def test_a_queued_mail_wakes_an_idle_worker_at_once(
    database: Settings, sink: SmtpSink,
) -> None:
    delivery = MailDelivery(database.database_url, sender_for(sink), poll_seconds=60)
    async with delivering(delivery):
        await asyncio.sleep(0.5)  # idle, listening
        started = time.monotonic()
        queue(database)
        await until(lambda: len(sink.received) == 1, 5, "the NOTIFY to wake the worker")
    assert time.monotonic() - started < 5


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
async def test_a_sender_signs_in_when_given_a_username() -> None:
    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data == (b"mailer", b"s3cret")
        return AuthResult(success=ok, handled=False)

    guarded = SmtpSink(authenticator=authenticator, auth_require_tls=False,
                       auth_required=True).start()
    try:
        mail = OutgoingMail(to="bob@example.test", subject="hi", body=BODY, kind="welcome")
        with pytest.raises(DeliveryError, match="sign-in refused") as refused:
            await sender_for(guarded, username="mailer", password="wrong").send(mail)
        assert not refused.value.permanent and "wrong" not in str(refused.value)
        await sender_for(guarded, username="mailer", password="s3cret").send(mail)
        assert [m.recipients for m in guarded.received] == [("bob@example.test",)]
        assert "s3cret" not in repr(sender_for(guarded, username="mailer", password="s3cret"))
    finally:
        guarded.stop()


async def test_an_unreachable_server_is_a_temporary_failure() -> None:
    sink = SmtpSink()  # never started: nothing listens on its port
    with pytest.raises(DeliveryError) as failed:
        await sender_for(sink).send(OutgoingMail(to="a@example.test", subject="s", body=BODY,
                                                 kind="welcome"))
    assert not failed.value.permanent and "493817" not in str(failed.value)


def test_without_an_smtp_host_the_worker_writes_mail_to_the_outbox_folder_and_its_log(
    database: Settings, processes: Processes,
) -> None:
    assert isinstance(mail_sender(database), FolderSender)
    processes.start("worker", "worker")
    queue(database, body="Your code is 271828.", kind="2fa_code")
    folder = database.home / "outbox"
    wait_until(lambda: folder.exists() and any(folder.glob("*.eml")), 30, "an .eml file")
    [path] = list(folder.glob("*.eml"))
    text = path.read_text()
    assert "X-Copydesk-Kind: 2fa_code" in text and "Your code is 271828." in text
    assert "ada-0@example.test" in text
    wait_until(lambda: scalar(database, "SELECT count(*) FROM email_outbox") == 0, 10,
               "the row to go")
    logs = "".join(p.read_text() for p in processes.log_dir.glob("worker-*.log"))
    line = next(x for x in logs.splitlines() if "mail_written_to_outbox" in x)
    assert str(path) in line and "ada-0@example.test" in line and "271828" in line
