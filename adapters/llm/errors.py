"""What can go wrong calling a text model, classified once for every provider.

Retryable: the provider is busy or failing for a moment (429, 5xx, 529 overloaded, timeouts,
lost connections). Permanent: asking again cannot help (a refused key, an exhausted spend
limit or quota, a request the provider rejects). Messages are safe to show: they never carry
an API key, and a provider's own text is shortened and scrubbed of anything key-like.
"""

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_KEY_LIKE = re.compile(r"(sk|pk|rk|key|AIza)[-_A-Za-z0-9]{8,}|[A-Za-z0-9_-]{32,}")
SPEND_LIMIT_CODES = frozenset({"insufficient_quota", "billing_hard_limit_reached",
                               "billing_not_active", "billing_error", "credit_balance_too_low"})
SPEND_LIMIT_PHRASES = ("credit balance is too low", "insufficient balance", "exceeded your current quota",
                       "spend limit")


class ProviderError(Exception):
    """A call to a text model failed; `str(error)` is safe to show a user."""

    def __init__(self, provider: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.provider = provider
        self.status = status


class RetryableProviderError(ProviderError):
    def __init__(self, provider: str, message: str, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(provider, message, status)
        self.retry_after = retry_after
        """Seconds the provider asked us to wait, if it said."""


class PermanentProviderError(ProviderError):
    """Asking again will not help: a refused key, a spend limit, a rejected request."""


def scrub(text: str, *secrets: str, limit: int = 200) -> str:
    """A provider's message, shortened, without the given secrets or anything that looks like a key."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[key]")
    return _KEY_LIKE.sub("[redacted]", " ".join(text.split()))[:limit]


def classify_status(provider: str, status: int, message: str, code: str | None,
                    retry_after: float | None) -> ProviderError:
    """The error for an HTTP error answer of a provider (message already scrubbed)."""
    lowered = message.lower()
    if status in (401, 403):
        return PermanentProviderError(provider, f"{provider} refused the API key ({status})", status)
    spend_limit = (code or "") in SPEND_LIMIT_CODES or any(p in lowered for p in SPEND_LIMIT_PHRASES)
    if status == 402 or (status < 500 and spend_limit):
        return PermanentProviderError(
            provider, f"{provider} spend limit or quota reached: {message}".rstrip(": "), status)
    if status in (408, 409, 429) or status >= 500:
        what = "rate limited" if status == 429 else "overloaded" if status == 529 else "failing"
        return RetryableProviderError(provider, f"{provider} is {what} ({status}): {message}".rstrip(": "),
                                      status, retry_after)
    return PermanentProviderError(provider, f"{provider} rejected the request ({status}): {message}"
                                  .rstrip(": "), status)


MAX_RETRY_AFTER = 600.0


def parse_retry_after(headers: dict[str, str] | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from `retry-after-ms`, or `retry-after` as seconds or an HTTP date."""
    if not headers:
        return None
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        if "retry-after-ms" in lowered:
            return _bounded(float(lowered["retry-after-ms"]) / 1000)
        value = lowered.get("retry-after", "").strip()
        if not value:
            return None
        try:
            return _bounded(float(value))
        except ValueError:
            when = parsedate_to_datetime(value)
            return _bounded((when - (now or datetime.now(UTC))).total_seconds())
    except (ValueError, TypeError, OverflowError):
        return None


def _bounded(seconds: float) -> float | None:
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)
