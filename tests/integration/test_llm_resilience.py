"""Retries, timeouts, limits and circuit breakers, against a fake provider that really fails."""

import asyncio
import time
from uuid import uuid4

import pytest

from adapters.llm.errors import PermanentProviderError, RetryableProviderError
from adapters.llm.generate import generate_one
from adapters.llm.resilience import BreakerPolicy, ProviderGates, RetryPolicy
from adapters.llm.writers import AnthropicWriter, OpenAICompatibleWriter, TextWriter
from domain.errors import UnavailableError
from domain.generation.settings import GenerationSettings, Validation, WriterOutput
from tests.fakes.llm_server import Failure, FakeLLM
from tests.support import free_port

PRODUCT = {"name": "Trail Bottle", "brand": "Peakline", "attributes": {"Capacity": "500 ml"}}
SETTINGS = GenerationSettings()
QUICK = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)


def anthropic(fake: FakeLLM, timeout: float = 10) -> AnthropicWriter:
    return AnthropicWriter(model="claude-haiku-4-5", api_key="k", base_url=fake.url, timeout=timeout)


def openai(fake: FakeLLM) -> OpenAICompatibleWriter:
    return OpenAICompatibleWriter(provider="openai", model="gpt-4o-mini", api_key="k",
                                  base_url=fake.openai_base_url, timeout=10)


def make_gates(retry: RetryPolicy = QUICK, timeout: float = 10, concurrency: int = 8,
               breaker: BreakerPolicy | None = None) -> ProviderGates:
    return ProviderGates(concurrency=concurrency, timeout=timeout, retry=retry, breaker=breaker)


async def generate(writer: TextWriter, gates: ProviderGates) -> tuple[WriterOutput, Validation]:
    return await generate_one(org_id=uuid4(), source_data=PRODUCT, settings=SETTINGS, tone_prompt="",
                              writer=writer, gates=gates)


@pytest.mark.parametrize(("failure", "writer"), [("500", anthropic), ("500", openai), ("529", anthropic),
                                                 ("529", openai)])
async def test_a_server_error_or_overload_is_retried_until_it_succeeds(
        fake_llm: FakeLLM, failure: str, writer: object) -> None:
    fake_llm.fail(failure)
    gates = make_gates()
    output, _ = await generate(writer(fake_llm), gates)  # type: ignore[operator]
    assert output.texts.name == "Trail Bottle" and fake_llm.request_count == 2
    assert gates.snapshot()[0].state == "closed" and gates.snapshot()[0].consecutive_failures == 0


async def test_a_rate_limit_waits_as_long_as_retry_after_says(fake_llm: FakeLLM) -> None:
    fake_llm.fail(Failure("429", retry_after="1"))
    started = time.monotonic()
    await generate(openai(fake_llm), make_gates())
    first, second = fake_llm.requests
    assert 0.95 <= second.at - first.at < 3
    assert time.monotonic() - started >= 0.95


async def test_retry_after_longer_than_the_cap_is_cut_to_it(fake_llm: FakeLLM) -> None:
    fake_llm.fail(Failure("429", retry_after="3600"))
    await generate(anthropic(fake_llm), make_gates(RetryPolicy(attempts=2, max_retry_after=0.3)))
    first, second = fake_llm.requests
    assert 0.25 <= second.at - first.at < 2


@pytest.mark.parametrize(("failure", "writer"), [("spend_limit", anthropic), ("spend_limit", openai),
                                                 ("402", anthropic), ("402", openai)])
async def test_a_spend_limit_is_not_retried(fake_llm: FakeLLM, failure: str, writer: object) -> None:
    fake_llm.fail(failure)
    gates = make_gates()
    with pytest.raises(PermanentProviderError, match="spend limit or quota reached"):
        await generate(writer(fake_llm), gates)  # type: ignore[operator]
    assert fake_llm.request_count == 1
    assert gates.snapshot()[0].consecutive_failures == 0


async def test_a_hung_call_times_out_is_retried_and_finally_fails(fake_llm: FakeLLM) -> None:
    fake_llm.fail("hang", "hang")
    started = time.monotonic()
    with pytest.raises(RetryableProviderError, match=r"did not answer within 0\.3s"):
        await generate(anthropic(fake_llm), make_gates(RetryPolicy(attempts=2, base_delay=0.01), timeout=0.3))
    assert fake_llm.request_count == 2
    assert 0.55 <= time.monotonic() - started < 5


async def test_a_hung_call_is_cut_by_the_clients_own_timeout_too(fake_llm: FakeLLM) -> None:
    fake_llm.fail("hang")
    output, _ = await generate(anthropic(fake_llm, timeout=0.3), make_gates(timeout=10))
    assert output.texts.name == "Trail Bottle" and fake_llm.request_count == 2


async def test_a_provider_that_cannot_be_reached_is_retried_then_reported() -> None:
    writer = AnthropicWriter(model="claude-haiku-4-5", api_key="k", base_url=f"http://127.0.0.1:{free_port()}",
                             timeout=5)
    gates = make_gates(RetryPolicy(attempts=3, base_delay=0.01))
    with pytest.raises(RetryableProviderError, match="anthropic could not be reached"):
        await generate(writer, gates)
    assert gates.snapshot()[0].consecutive_failures == 3


async def test_retries_give_up_after_the_last_attempt(fake_llm: FakeLLM) -> None:
    fake_llm.fail("500", "500", "500")
    with pytest.raises(RetryableProviderError, match=r"anthropic is failing \(500\)"):
        await generate(anthropic(fake_llm), make_gates(RetryPolicy(attempts=3, base_delay=0.01)))
    assert fake_llm.request_count == 3


async def test_the_breaker_opens_after_repeated_failures_and_then_fails_fast(fake_llm: FakeLLM) -> None:
    gates = make_gates(RetryPolicy(attempts=1),
                       breaker=BreakerPolicy(failure_threshold=3, cooldown_seconds=30))
    fake_llm.fail("500", "529", "500")
    for _ in range(3):
        with pytest.raises(RetryableProviderError):
            await generate(anthropic(fake_llm), gates)
    started = time.monotonic()
    with pytest.raises(UnavailableError) as refused:
        await generate(anthropic(fake_llm), gates)
    assert time.monotonic() - started < 0.1 and fake_llm.request_count == 3
    assert refused.value.retry_after is not None and 1 <= refused.value.retry_after <= 30
    snapshot = gates.snapshot()[0]
    assert (snapshot.provider, snapshot.state, snapshot.consecutive_failures) == ("anthropic", "open", 3)
    output, _ = await generate(openai(fake_llm), gates)  # another provider's circuit is its own
    assert output.provider == "openai"


async def test_after_the_cooldown_a_successful_trial_closes_the_circuit(fake_llm: FakeLLM) -> None:
    gates = make_gates(RetryPolicy(attempts=1),
                       breaker=BreakerPolicy(failure_threshold=2, cooldown_seconds=0.3))
    fake_llm.fail("500", "500")
    for _ in range(2):
        with pytest.raises(RetryableProviderError):
            await generate(openai(fake_llm), gates)
    with pytest.raises(UnavailableError):
        await generate(openai(fake_llm), gates)
    await asyncio.sleep(0.35)
    output, _ = await generate(openai(fake_llm), gates)
    assert output.texts.name == "Trail Bottle" and gates.snapshot()[0].state == "closed"
    assert fake_llm.request_count == 3


async def test_a_failed_trial_opens_the_circuit_again(fake_llm: FakeLLM) -> None:
    gates = make_gates(breaker=BreakerPolicy(failure_threshold=1, cooldown_seconds=0.3))
    fake_llm.fail("500", "500")
    with pytest.raises(UnavailableError):  # the first failure opens it; the retry is refused
        await generate(anthropic(fake_llm), gates)
    await asyncio.sleep(0.35)
    with pytest.raises(UnavailableError):
        await generate(anthropic(fake_llm), gates)
    assert fake_llm.request_count == 2 and gates.snapshot()[0].state == "open"


async def test_calls_in_flight_never_exceed_the_providers_limit(fake_llm: FakeLLM) -> None:
    fake_llm.latency = 0.2
    gates = make_gates(concurrency=4)
    started = time.monotonic()
    results = await asyncio.gather(*(generate(anthropic(fake_llm), gates) for _ in range(12)))
    assert len(results) == 12 and fake_llm.max_in_flight == 4
    assert time.monotonic() - started >= 0.55
    assert gates.snapshot()[0].limit == 4 and gates.snapshot()[0].in_flight == 0


async def test_hundreds_of_concurrent_calls_are_served(fake_llm: FakeLLM) -> None:
    fake_llm.latency = 0.5
    gates = make_gates(concurrency=64)
    started = time.monotonic()
    results = await asyncio.gather(*(generate(openai(fake_llm), gates) for _ in range(256)))
    elapsed = time.monotonic() - started
    assert len(results) == 256 and fake_llm.max_in_flight == 64
    assert elapsed < 30  # four waves of 0.5 s; one call after another would take 128 s
