"""One embedded PostgreSQL and one NATS server for the whole test session."""

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.embedded import EmbeddedServers
from adapters.logging import configure_logging
from adapters.settings import Settings
from tests.fakes.embeddings_server import FakeEmbeddings, running_fake_embeddings
from tests.fakes.llm_server import FakeLLM, running_fake_llm
from tests.fakes.stock_photo_server import FakeStockPhotos, running_fake_stock_photos
from tests.smtp_sink import SmtpSink
from tests.support import Processes, Stack, fresh_database


@pytest.fixture(scope="session")
def servers() -> Iterator[EmbeddedServers]:
    home = Path(tempfile.mkdtemp(prefix="copydesk-test-"))
    embedded = EmbeddedServers(home).start()
    os.environ["COPYDESK_TEST_NATS_URL"] = embedded.nats_url
    os.environ["COPYDESK_JOB_KINDS"] = "tests.fakes.job_kinds:KINDS"  # for every process started
    os.environ["COPYDESK_SSE_HEARTBEAT"] = "0.5"
    try:
        yield embedded
    finally:
        embedded.stop()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def database(servers: EmbeddedServers, tmp_path: Path) -> Settings:
    """A fresh migrated database with its own event stream (for tests that break things)."""
    return fresh_database(servers.database_url, tmp_path)


@pytest.fixture
def processes(database: Settings, tmp_path: Path) -> Iterator[Processes]:
    procs = Processes(database, tmp_path)
    try:
        yield procs
    finally:
        procs.stop_all()


@pytest.fixture(scope="session")
def stock_photos() -> Iterator[FakeStockPhotos]:
    """The session's fake Unsplash and Pexels, taking the keys the seed client adds."""
    with running_fake_stock_photos() as fake:
        fake.unsplash_keys.add(fake.SEED_UNSPLASH_KEY)
        fake.pexels_keys.add(fake.SEED_PEXELS_KEY)
        yield fake


@pytest.fixture(scope="session")
def stack(servers: EmbeddedServers, stock_photos: FakeStockPhotos,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole of copydesk (API, relay, projector, worker) as separate processes, sending
    mail to a real SMTP server in this process."""
    home = tmp_path_factory.mktemp("stack")
    sink = SmtpSink().start()  # the worker delivers the stack's mail here (tests.e2e.mailbox)
    try:
        settings = dataclasses.replace(
            fresh_database(servers.database_url, home), smtp_host=sink.host,
            smtp_port=sink.port, smtp_starttls=False,
            mail_from="copydesk tests <no-reply@copydesk.test>",
            stores_allow_loopback=True,  # the seed client's local fake stores and WordPress
            feeds_allow_loopback=True, unsplash_base_url=stock_photos.base_url,
            pexels_base_url=stock_photos.base_url)
        procs = Processes(settings, home)
        procs.start("relay", "relay")
        procs.start("projector", "projector")
        procs.start("worker", "worker")
        base_url = procs.start_api()
        try:
            yield Stack(settings=settings, base_url=base_url, processes=procs)
        finally:
            procs.stop_all()
    finally:
        sink.stop()


@pytest.fixture(scope="session", autouse=True)
def quiet_logs() -> None:
    configure_logging("warning")


@pytest.fixture(scope="session")
def llm_server() -> Iterator[FakeLLM]:
    with running_fake_llm() as fake:
        yield fake


@pytest.fixture
def fake_llm(llm_server: FakeLLM) -> FakeLLM:
    """The session's fake Anthropic/OpenAI server, with a clean script and memory."""
    llm_server.reset()
    return llm_server


@pytest.fixture(scope="session")
def embeddings_server() -> Iterator[FakeEmbeddings]:
    with running_fake_embeddings() as fake:
        yield fake


@pytest.fixture
def fake_embeddings(embeddings_server: FakeEmbeddings) -> FakeEmbeddings:
    """The session's fake OpenAI embeddings server, with a clean script and memory."""
    embeddings_server.reset()
    return embeddings_server
