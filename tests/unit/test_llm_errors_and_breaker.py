"""Classifying provider errors, reading Retry-After, and the circuit breaker's states."""

from datetime import UTC, datetime

import pytest

from adapters.llm.errors import (
    PermanentProviderError,
    RetryableProviderError,
    classify_status,
    parse_retry_after,
    scrub,
)
from adapters.llm.registry import gates_from_settings
from adapters.llm.resilience import CLOSED, HALF_OPEN, OPEN, BreakerPolicy, CircuitBreaker, RetryPolicy
from adapters.settings import Settings
from domain.errors import UnavailableError


@pytest.mark.parametrize(("status", "message", "code", "kind"), [
    (500, "Internal server error", "api_error", RetryableProviderError),
    (529, "Overloaded", "overloaded_error", RetryableProviderError),
    (503, "unavailable", None, RetryableProviderError),
    (429, "Rate limit reached", "rate_limit_exceeded", RetryableProviderError),
    (408, "timeout", None, RetryableProviderError),
    (429, "You exceeded your current quota", "insufficient_quota", PermanentProviderError),
    (400, "Your credit balance is too low to access the Anthropic API.", "invalid_request_error",
     PermanentProviderError),
    (402, "Insufficient Balance", None, PermanentProviderError),
    (401, "Incorrect API key provided: sk-abc***", "invalid_api_key", PermanentProviderError),
    (403, "forbidden", None, PermanentProviderError),
    (400, "max_tokens too large", "invalid_request_error", PermanentProviderError),
])
def test_provider_answers_are_classified(status: int, message: str, code: str | None, kind: type) -> None:
    error = classify_status("openai", status, message, code, None)
    assert type(error) is kind and error.status == status and error.provider == "openai"


def test_a_refused_key_is_reported_without_the_providers_text() -> None:
    error = classify_status("openai", 401, "Incorrect API key provided: sk-abc***xyz", None, None)
    assert str(error) == "openai refused the API key (401)"


def test_a_spend_limit_says_so() -> None:
    error = classify_status("anthropic", 400, "credit balance is too low", None, None)
    assert "spend limit or quota reached" in str(error)


def test_provider_messages_lose_keys_and_long_tokens() -> None:
    text = scrub("bad key sk-proj-ABCDEFGHIJKLMNOP and AIzaSyA1234567890 and mine-secret-1 " + "x" * 300,
                 "mine-secret-1")
    assert "sk-proj" not in text and "AIza" not in text and "mine-secret-1" not in text
    assert len(text) <= 200


def test_retry_after_is_read_as_seconds_milliseconds_or_a_date_and_capped() -> None:
    now = datetime(2026, 1, 5, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after({"Retry-After": "3"}) == 3.0
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert parse_retry_after({"retry-after": "Mon, 05 Jan 2026 12:00:07 GMT"}, now) == 7.0
    assert parse_retry_after({"retry-after": "Mon, 05 Jan 2026 11:00:00 GMT"}, now) == 0.0
    assert parse_retry_after({"retry-after": "99999"}) == 600.0
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


def test_backoff_grows_exponentially_with_jitter_and_honours_retry_after_up_to_a_cap() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, max_retry_after=10.0)
    for attempt, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (9, 5.0)):
        delays = {policy.delay(attempt, None) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays) and len(delays) > 1
    assert policy.delay(1, 3.0) == 3.0 and policy.delay(1, 60.0) == 10.0


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_opens_after_the_threshold_of_failures_in_a_row() -> None:
    breaker = CircuitBreaker("anthropic", BreakerPolicy(failure_threshold=3, cooldown_seconds=30), Clock())
    for _ in range(2):
        breaker.before_call()
        breaker.record_failure()
    breaker.before_call()
    breaker.record_success()  # a success in between starts the count again
    for _ in range(3):
        assert breaker.state == CLOSED
        breaker.before_call()
        breaker.record_failure()
    assert breaker.state == OPEN
    with pytest.raises(UnavailableError) as refused:
        breaker.before_call()
    assert refused.value.retry_after == 30 and "anthropic is unavailable" in str(refused.value)


def test_after_the_cooldown_one_trial_goes_through_and_its_success_closes_the_circuit() -> None:
    clock = Clock()
    breaker = CircuitBreaker("openai", BreakerPolicy(failure_threshold=1, cooldown_seconds=10), clock)
    breaker.before_call()
    breaker.record_failure()
    clock.now += 4
    with pytest.raises(UnavailableError) as refused:
        breaker.before_call()
    assert refused.value.retry_after == 6
    clock.now += 6
    breaker.before_call()
    assert breaker.state == HALF_OPEN
    with pytest.raises(UnavailableError):
        breaker.before_call()  # only one trial at a time
    breaker.record_success()
    assert breaker.state == CLOSED and breaker.consecutive_failures == 0
    breaker.before_call()


def test_a_failed_trial_opens_the_circuit_for_another_cooldown() -> None:
    clock = Clock()
    breaker = CircuitBreaker("google", BreakerPolicy(failure_threshold=5, cooldown_seconds=10), clock)
    breaker.open()
    clock.now += 10
    breaker.before_call()
    breaker.record_failure()
    assert breaker.state == OPEN and breaker.remaining() == 10


def test_a_trial_that_proves_nothing_lets_the_next_trial_through() -> None:
    clock = Clock()
    breaker = CircuitBreaker("google", BreakerPolicy(cooldown_seconds=1), clock)
    breaker.open()
    clock.now += 1
    breaker.before_call()
    breaker.record_neutral()
    breaker.before_call()
    assert breaker.state == HALF_OPEN


def test_an_admin_can_open_and_reset_a_circuit() -> None:
    breaker = CircuitBreaker("deepseek", BreakerPolicy(), Clock())
    breaker.open()
    with pytest.raises(UnavailableError):
        breaker.before_call()
    breaker.reset()
    breaker.before_call()
    assert breaker.state == CLOSED


async def test_gates_follow_the_settings_and_an_admin_can_open_and_reset_a_providers_circuit() -> None:
    gates = gates_from_settings(Settings(llm_concurrency=7, llm_timeout_seconds=9))
    assert (gates.gate("openai").limit, gates.gate("openai").timeout) == (7, 9)
    gates.open_circuit("anthropic")
    with pytest.raises(UnavailableError):
        await gates.gate("anthropic").call(noop)
    gates.reset_circuit("anthropic")
    assert await gates.gate("anthropic").call(noop) == "done"
    states = [(s.provider, s.state) for s in gates.snapshot()]
    assert states == [("anthropic", "closed"), ("openai", "closed")]


async def noop() -> str:
    return "done"
