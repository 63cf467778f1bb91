"""Calling a provider without overwhelming it or waiting on it forever.

A `ProviderGate` per provider limits calls in flight (a semaphore), bounds each call with a
timeout, retries retryable failures with exponential backoff and jitter (or after the
provider's `Retry-After`, capped), never retries permanent ones, and keeps a circuit breaker:
after `failure_threshold` failed attempts in a row it opens and refuses calls at once with
`UnavailableError(retry_after=…)`; after `cooldown_seconds` one trial call goes through
(half-open); its success closes the circuit, its failure opens it again.
"""

import asyncio
import dataclasses
import math
import random
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from adapters.llm.errors import RetryableProviderError
from domain.errors import UnavailableError

T = TypeVar("T")
CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


@dataclasses.dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    attempts: int = 4
    """Calls in all, the first one included."""
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_retry_after: float = 60.0
    """A provider's Retry-After longer than this is cut to it."""

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)  # jitter, not secrecy


@dataclasses.dataclass(frozen=True, kw_only=True)
class BreakerPolicy:
    failure_threshold: int = 5
    cooldown_seconds: float = 30.0


@dataclasses.dataclass(frozen=True, kw_only=True)
class BreakerSnapshot:
    provider: str
    state: str
    consecutive_failures: int
    retry_after: float
    """Seconds until a trial call is let through (0 unless open)."""
    in_flight: int
    limit: int


class CircuitBreaker:
    def __init__(self, provider: str, policy: BreakerPolicy,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.provider = provider
        self.policy = policy
        self.clock = clock
        self.state = CLOSED
        self.consecutive_failures = 0
        self.opened_at = 0.0
        self.trial_in_flight = False

    def before_call(self) -> None:
        """Let a call through, or raise UnavailableError while open (or while a trial runs)."""
        if self.state == OPEN:
            if self.remaining() > 0:
                raise self._refusal()
            self.state, self.trial_in_flight = HALF_OPEN, False
        if self.state == HALF_OPEN:
            if self.trial_in_flight:
                raise self._refusal()
            self.trial_in_flight = True

    def record_success(self) -> None:
        self.state, self.consecutive_failures, self.trial_in_flight = CLOSED, 0, False

    def record_failure(self) -> None:
        self.consecutive_failures += 1
        if self.state == HALF_OPEN or self.consecutive_failures >= self.policy.failure_threshold:
            self.open()

    def record_neutral(self) -> None:
        """A call that proved nothing about the provider's health (a refused request)."""
        self.trial_in_flight = False

    def open(self) -> None:
        self.state, self.opened_at, self.trial_in_flight = OPEN, self.clock(), False

    def reset(self) -> None:
        self.record_success()

    def remaining(self) -> float:
        if self.state != OPEN:
            return 0.0
        return max(0.0, self.opened_at + self.policy.cooldown_seconds - self.clock())

    def _refusal(self) -> UnavailableError:
        wait = max(1, math.ceil(self.remaining()))
        return UnavailableError(f"{self.provider} is unavailable (circuit open); try again in {wait}s",
                                retry_after=wait)


class ProviderGate:
    """Every call to one provider goes through its gate."""

    def __init__(self, provider: str, *, concurrency: int, timeout: float,
                 retry: RetryPolicy | None = None, breaker: BreakerPolicy | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.provider = provider
        self.limit = concurrency
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.breaker = CircuitBreaker(provider, breaker or BreakerPolicy(), clock)
        self._slots = asyncio.Semaphore(concurrency)
        self.in_flight = 0

    async def call(self, attempt: Callable[[], Awaitable[T]]) -> T:
        """`attempt()` under the concurrency limit and timeout, retried as the policy says.

        Raises the last RetryableProviderError when attempts run out, PermanentProviderError
        at once, UnavailableError while the circuit is open."""
        for number in range(1, self.retry.attempts + 1):
            self.breaker.before_call()
            try:
                result = await self._one(attempt)
            except RetryableProviderError as error:
                self.breaker.record_failure()
                if number == self.retry.attempts:
                    raise
                await asyncio.sleep(self.retry.delay(number, error.retry_after))
            except BaseException:  # permanent errors, cancellation: no verdict on the provider
                self.breaker.record_neutral()
                raise
            else:
                self.breaker.record_success()
                return result
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _one(self, attempt: Callable[[], Awaitable[T]]) -> T:
        async with self._slots:
            self.in_flight += 1
            try:
                async with asyncio.timeout(self.timeout):
                    return await attempt()
            except TimeoutError:
                raise RetryableProviderError(
                    self.provider, f"{self.provider} did not answer within {self.timeout:g}s") from None
            finally:
                self.in_flight -= 1

    def snapshot(self) -> BreakerSnapshot:
        return BreakerSnapshot(provider=self.provider, state=self.breaker.state,
                               consecutive_failures=self.breaker.consecutive_failures,
                               retry_after=round(self.breaker.remaining(), 1),
                               in_flight=self.in_flight, limit=self.limit)


class ProviderGates:
    """One gate per provider, made on first use with the same limits. Gates (and their circuits)
    belong to one process and its event loop: each worker process keeps its own."""

    def __init__(self, *, concurrency: int, timeout: float, retry: RetryPolicy | None = None,
                 breaker: BreakerPolicy | None = None,
                 concurrency_per_provider: dict[str, int] | None = None) -> None:
        self.concurrency = concurrency
        self.timeout = timeout
        self.retry = retry
        self.breaker = breaker
        self.concurrency_per_provider = dict(concurrency_per_provider or {})
        self._gates: dict[str, ProviderGate] = {}

    def gate(self, provider: str) -> ProviderGate:
        if provider not in self._gates:
            self._gates[provider] = ProviderGate(
                provider, concurrency=self.concurrency_per_provider.get(provider, self.concurrency),
                timeout=self.timeout, retry=self.retry, breaker=self.breaker)
        return self._gates[provider]

    def snapshot(self) -> list[BreakerSnapshot]:
        """The state of every provider's circuit, for an admin or health view."""
        return [gate.snapshot() for _, gate in sorted(self._gates.items())]

    def open_circuit(self, provider: str) -> None:
        """Refuse calls to `provider` for a cooldown (an admin taking it out of service)."""
        self.gate(provider).breaker.open()

    def reset_circuit(self, provider: str) -> None:
        """Close `provider`'s circuit and forget its failures."""
        self.gate(provider).breaker.reset()
