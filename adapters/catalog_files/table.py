"""A file seen as a header and rows of cells, whatever its format."""

import dataclasses
from collections.abc import Iterator


@dataclasses.dataclass
class Table:
    """`rows` yields (line where the row starts, cells); a row has one cell per header entry.

    An XML table discovers columns as it reads, so `header` may grow; a row is as long as the
    header was when the row was read.
    """

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    kind: str
    """"csv" or "xml" (plus the layout, e.g. "xml:wxr")."""
