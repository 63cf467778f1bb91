"""A platform's columns, and where they sit in one file's header.

Headers are matched by their normalized spelling (case, spaces and punctuation ignored, so
`Body (HTML)`, `body_html` and `BODY HTML` are one column) against each column's name and
aliases. A caller's `column_mapping` (file header → canonical field, or → the platform's own
column name) wins over that matching.
"""

import dataclasses
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from itertools import compress
from operator import itemgetter

from domain.catalog.records import CANONICAL_FIELDS
from domain.errors import InvalidCommandError, MalformedInputError

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(header: str) -> str:
    return _NOT_ALNUM.sub("", header.lower())


@dataclasses.dataclass(frozen=True)
class Column:
    name: str
    """The platform's own header; the key the platform's reader asks for."""
    canonical: str | None = None
    """The canonical field its value goes to; None for a structural or platform-only column."""
    aliases: tuple[str, ...] = ()
    kept: bool = False
    """Also kept in `platform_fields` although it feeds a canonical field (an id, say)."""


@dataclasses.dataclass(frozen=True)
class PlatformColumns:
    platform: str
    columns: tuple[Column, ...]
    required: tuple[tuple[str, ...], ...]
    """Each entry: a file must have at least one of these columns."""
    pattern: Callable[[str], Column | None] = lambda header: None
    """Numbered columns (`Attribute 3 name`) recognized from their header."""

    def column(self, header: str) -> Column | None:
        return self._by_normalized.get(normalize(header)) or self.pattern(header)

    @functools.cached_property
    def _by_normalized(self) -> dict[str, Column]:
        found: dict[str, Column] = {}
        for column in self.columns:
            for spelling in (column.name, *column.aliases):
                found.setdefault(normalize(spelling), column)
        return found

    def primary(self, canonical: str) -> Column | None:
        """The column that fills `canonical` first (the target of a mapping to that field)."""
        return next((c for c in self.columns if c.canonical == canonical), None)


class Layout:
    """Where each of a platform's columns sits in one header.

    `extras` are the columns a caller mapped to a canonical field the platform has no column
    for (or to `attributes`, the header naming the attribute); `others` go to
    `platform_fields`. Made once per file, so reading a row costs index lookups only.
    """

    def __init__(self, spec: PlatformColumns, header: list[str],
                 column_mapping: Mapping[str, str] | None = None) -> None:
        self.spec = spec
        self.header = header
        self._mapping = dict(column_mapping or {})
        _check_mapping(spec, self._mapping)
        self.index: dict[str, int] = {}
        self.extras: list[tuple[str, int, str]] = []
        self._width = -1
        self.refresh()

    def refresh(self) -> bool:
        """Resolve again if the header grew (XML discovers its columns as it reads); True if so.

        Columns already placed keep their position, so getters made earlier stay valid."""
        if len(self.header) == self._width:
            return False
        self._width = len(self.header)
        self.index, self.extras = {}, []
        consumed: set[int] = set()
        mapped = {h: t for h, t in self._mapping.items() if h in self.header}
        for position, header in enumerate(self.header):
            target = mapped.get(header)
            if target is None:
                continue
            column = self.spec.column(target) if target not in CANONICAL_FIELDS else (
                self.spec.primary(target) if target != "attributes" else None)
            if column is None or column.name in self.index:
                self.extras.append((target, position, header))
                consumed.add(position)
            else:
                self.index[column.name] = position
                if column.canonical is not None and not column.kept:
                    consumed.add(position)
        for position, header in enumerate(self.header):
            if header in mapped:
                continue
            column = self.spec.column(header)
            if column is not None and column.name not in self.index:
                self.index[column.name] = position
                if column.canonical is not None and not column.kept:
                    consumed.add(position)
        self.others = [i for i in range(len(self.header)) if i not in consumed]
        self._other_names = [self.header[i] for i in self.others]
        self._other_cells: Callable[[Sequence[str]], tuple[str, ...]] = (
            itemgetter(*self.others) if len(self.others) > 1
            else (lambda row: (row[self.others[0]],)) if self.others else (lambda row: ()))
        return True

    def has(self, name: str) -> bool:
        return name in self.index

    def getter(self, name: str) -> Callable[[Sequence[str]], str]:
        """A fast reader of one column ("" when the file has no such column)."""
        position = self.index.get(name)
        if position is None:
            return lambda row: ""
        return itemgetter(position)

    def fetcher(self, names: Sequence[str]) -> Callable[[Sequence[str]], Sequence[str]]:
        """A reader of several columns at once, in `names` order ("" for those the file lacks)."""
        positions = [self.index.get(name) for name in names]
        if len(positions) > 1 and None not in positions:
            return itemgetter(*positions)
        getters = [self.getter(name) for name in names]
        return lambda row: [get(row) for get in getters]

    def platform_fields(self, row: Sequence[str]) -> dict[str, str]:
        """The row's other non-empty columns, under the file's own headers."""
        cells = self._other_cells(row)
        return dict(compress(zip(self._other_names, cells, strict=True), cells))

    def missing(self) -> list[str]:
        """Required columns the header lacks (one name per unmet requirement)."""
        return [" or ".join(names) for names in self.spec.required
                if not any(name in self.index for name in names)]

    def check_required(self) -> None:
        lacking = self.missing()
        if lacking:
            raise MalformedInputError(f"line 1: the file lacks the {self.spec.platform} column(s) "
                                      f"{', '.join(repr(n) for n in lacking)}")


def _check_mapping(spec: PlatformColumns, mapping: Mapping[str, str]) -> None:
    wrong = sorted({t for t in mapping.values()
                    if t not in CANONICAL_FIELDS and spec.column(t) is None})
    if wrong:
        raise InvalidCommandError(
            f"column_mapping: {', '.join(repr(t) for t in wrong)} is neither a canonical field "
            f"({', '.join(CANONICAL_FIELDS)}) nor a {spec.platform} column")
