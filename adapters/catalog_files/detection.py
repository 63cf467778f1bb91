"""Which column holds what, for a file whose layout is not known (or not trusted) yet."""

import dataclasses
from collections.abc import Sequence

from adapters.catalog_files.columns import PlatformColumns, normalize
from adapters.catalog_files.header_words import HINTS, MARKER_SETS, NOT_HINTS, SYNONYM_FIELDS
from adapters.catalog_files.reading import SPECS, platform_spec
from adapters.catalog_files.value_kinds import guess_field

LIST_FIELDS = frozenset({"attributes", "images", "categories"})
"""Fields several columns may feed; every other field takes one column."""

_KNOWN = object()


@dataclasses.dataclass(frozen=True)
class ColumnDetection:
    mapping: dict[str, str]
    """File header → canonical field (ready to pass to `read_catalog` as `column_mapping`)."""
    confidence: dict[str, float]
    """File header → 0..1: 1 for the platform's own header, less for synonyms, least for a guess
    from the values alone."""
    unmapped: list[str]
    """Headers neither mapped nor known to the platform; their values land in `platform_fields`."""
    platform_guess: str | None
    """The platform whose export these headers look like, if one clearly does."""


def detect_columns(platform: str, headers: Sequence[str],
                   sample_rows: Sequence[Sequence[str]]) -> ColumnDetection:
    """Map `headers` to canonical fields from their names (the platform's own, other platforms',
    synonyms in several languages, telling words) and, for headers that say nothing, from the
    values of `sample_rows` (prices, image URLs, HTML, category paths, codes…).

    `platform` may be "" when it is not known yet (then only `platform_guess` says which).
    """
    spec = platform_spec(platform) if platform else None
    found: dict[str, tuple[str, float]] = {}
    known: set[str] = set()
    unknown: list[int] = []
    for position, header in enumerate(headers):
        named = _by_name(spec, header)
        if named is _KNOWN:
            known.add(header)
        elif isinstance(named, tuple):
            found[header] = named
        else:
            unknown.append(position)
    mapping, confidence = _one_column_per_field(found)
    taken = set(mapping.values())
    for position in unknown:
        values = [row[position] for row in sample_rows if position < len(row)]
        guess = guess_field(values)
        if guess is None:
            continue
        field, share = guess
        if field == "description" and field in taken:
            field = "short_description"
        if field in taken and field not in LIST_FIELDS:
            continue
        mapping[headers[position]] = field
        confidence[headers[position]] = round(0.4 + 0.3 * share, 2)
        taken.add(field)
    unmapped = [header for header in headers if header not in mapping and header not in known]
    return ColumnDetection(mapping, confidence, unmapped, guess_platform(headers))


def guess_platform(headers: Sequence[str]) -> str | None:
    names = {normalize(header) for header in headers}
    scores = {platform: len(names & markers) for platform, markers in MARKER_SETS.items()}
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    best, score = ranked[0]
    return best if score >= 3 and score > ranked[1][1] else None


def _by_name(spec: PlatformColumns | None, header: str) -> tuple[str, float] | object | None:
    if spec is not None:
        column = spec.column(header)
        if column is not None:
            if column.canonical is None:
                return _KNOWN
            exact = header.strip() in (column.name, *column.aliases)
            return column.canonical, 1.0 if exact else 0.95
    for other in SPECS.values():
        column = other.column(header)
        if other is not spec and column is not None:
            return _KNOWN if column.canonical is None else (column.canonical, 0.85)
    word = normalize(header)
    if word in SYNONYM_FIELDS:
        return SYNONYM_FIELDS[word], 0.8
    if not any(fragment in word for fragment in NOT_HINTS):
        for fragment, field in HINTS:
            if fragment in word:
                return field, 0.6
    return None


def _one_column_per_field(found: dict[str, tuple[str, float]]) -> tuple[dict[str, str], dict[str, float]]:
    """Each single-column field goes to its most certain header (the first on a tie)."""
    best: dict[str, tuple[float, str]] = {}
    for header, (field, score) in found.items():
        if field not in LIST_FIELDS and (field not in best or score > best[field][0]):
            best[field] = (score, header)
    mapping = {h: f for h, (f, _) in found.items() if f in LIST_FIELDS or best[f][1] == h}
    return mapping, {h: found[h][1] for h in mapping}
