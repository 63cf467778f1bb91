"""Facts copy must not add on its own: numbers, quantities with units, and marketing claims."""

import re
from collections.abc import Iterable

from domain.generation.text import normalized_numbers, numbers_in_copy

UNITS = frozenset((
    "%", "mm", "cm", "m", "km", "ml", "cl", "dl", "l", "g", "kg", "mg", "µg", "oz", "lb", "lbs", "inch",
    "inches", "ft", "yd", "w", "kw", "v", "mah", "wh", "kwh", "hz", "khz", "mhz", "ghz", "gb", "tb", "mb",
    "kb", "pcs", "st", "stk", "pz", "szt", "°c", "°f", "h", "min", "db",
))
_QUANTITY = re.compile(r"(\d+(?:[.,]\d+)*)\s?(%|°[cf]|[a-zµ]+)\b", re.IGNORECASE)

CLAIMS: tuple[str, ...] = (
    # en
    "best-selling", "best selling", "bestseller", "best seller", "award-winning", "award winning",
    "number one", "no. 1", "#1", "world's best", "top-rated", "top rated",
    "clinically proven", "scientifically proven", "dermatologically tested", "guaranteed",
    "money-back", "lifetime warranty", "patented", "certified", "best in class", "unbeatable",
    # de
    "meistverkauft", "testsieger", "preisgekrönt", "klinisch getestet", "klinisch erwiesen",
    "garantiert", "zertifiziert", "patentiert", "unschlagbar",
    # fr
    "meilleure vente", "meilleures ventes", "numéro un", "n°1", "primé", "primée",
    "cliniquement prouvé", "garanti", "garantie à vie", "certifié", "certifiée", "breveté",
    # es / pt
    "más vendido", "mais vendido", "galardonado", "premiado", "número uno", "número um",
    "clínicamente probado", "clinicamente comprovado", "garantizado", "garantido",
    "certificado", "patentado", "patenteado",
    # it
    "più venduto", "pluripremiato", "premiato", "numero uno", "clinicamente testato",
    "garantito", "certificato", "brevettato", "imbattibile",
    # nl
    "meest verkocht", "bekroond", "nummer één", "klinisch bewezen", "gegarandeerd",
    "gecertificeerd", "gepatenteerd",
    # pl
    "najlepiej sprzedający", "nagradzany", "nagrodzony", "numer jeden", "klinicznie potwierdzony",
    "gwarantowany", "certyfikowany", "opatentowany",
)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    start = r"(?<!\w)" if phrase[0].isalnum() or phrase[0] == "#" else ""
    # a few letters more for inflected forms: preisgekrönte, garantizados, certifiée
    end = r"[^\W\d_]{0,3}(?!\w)" if phrase[-1].isalnum() else ""
    return re.compile(start + re.escape(phrase) + end, re.IGNORECASE)


_CLAIM_PATTERNS = tuple((phrase, _phrase_pattern(phrase)) for phrase in CLAIMS)
_ANY_CLAIM = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _CLAIM_PATTERNS), re.IGNORECASE)


def invented_numbers(copy: str, source: str) -> list[str]:
    """Numbers of the copy that the source never states (however thousands/decimals are written)."""
    known = normalized_numbers(source)
    return _unique(n for n in numbers_in_copy(copy) if not normalized_numbers(n) & known)


def invented_quantities(copy: str, source: str) -> list[str]:
    """Quantities of the copy ("500 ml", "30%") whose number the source gives only in other units."""
    units_of: dict[str, set[str]] = {}
    for number, unit in _quantities(source):
        for form in normalized_numbers(number):
            units_of.setdefault(form, set()).add(unit)
    found = []
    for number, unit in _quantities(copy):
        known_units = set().union(*(units_of.get(f, set()) for f in normalized_numbers(number)))
        if known_units and unit not in known_units:
            found.append(f"{number} {unit}".replace(" %", "%"))
    return _unique(found)


def _quantities(text: str) -> list[tuple[str, str]]:
    return [(number, unit.lower()) for number, unit in _QUANTITY.findall(text)
            if unit.lower() in UNITS]


def invented_claims(copy: str, source: str) -> list[str]:
    """Claim phrases of the copy that the source does not make itself."""
    copy, source = copy.replace("\u2019", "'"), source.replace("\u2019", "'")
    if not _ANY_CLAIM.search(copy):  # one pass for the common case of copy without claims
        return []
    return [phrase for phrase, pattern in _CLAIM_PATTERNS
            if pattern.search(copy) and not pattern.search(source)]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
