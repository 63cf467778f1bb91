"""The integer ids of the search context's resources (saved queries, segments) in paths and
parameters: a number no resource can have is simply not found."""

from domain.errors import NotFoundError

MAX_NUMBER = 2**31 - 1


def check_number(number: int, what: str) -> int:
    """`number` when it may name a `what`; NotFoundError otherwise (0, negative, too big)."""
    if not 1 <= number <= MAX_NUMBER:
        raise NotFoundError(f"{what} not found")
    return number
