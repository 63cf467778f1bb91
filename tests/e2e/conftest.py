"""Fixtures the end-to-end tests share beyond the session's `stack`."""

import dataclasses
from collections.abc import Iterator

import pytest

from adapters.embedded import EmbeddedServers
from tests.fakes.llm_server import FakeLLM
from tests.support import Processes, Stack, fresh_database

PLATFORM_ANTHROPIC, PLATFORM_OPENAI = "platform-anthropic-key-1", "platform-openai-key-1"


@pytest.fixture(scope="module")
def llm_stack(servers: EmbeddedServers, llm_server: FakeLLM,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own (API, relay, projector, two workers) whose text providers are the
    session's fake LLM server, with platform keys."""
    home = tmp_path_factory.mktemp("llm-stack")
    settings = fresh_database(servers.database_url, home)
    settings = dataclasses.replace(
        settings, anthropic_base_url=llm_server.anthropic_base_url,
        openai_base_url=llm_server.openai_base_url, anthropic_api_key=PLATFORM_ANTHROPIC,
        openai_api_key=PLATFORM_OPENAI, llm_concurrency=4, llm_timeout_seconds=2.0)
    procs = Processes(settings, home)
    try:  # a process that does not start must not leave the others running
        procs.start("relay", "relay")
        procs.start("projector", "projector")
        procs.start("worker", "worker")
        procs.start("worker-2", "worker")
        base_url = procs.start_api()
        yield Stack(settings=settings, base_url=base_url, processes=procs)
    finally:
        procs.stop_all()
