"""The template writer's sentences, one module per language."""

from collections.abc import Mapping
from types import MappingProxyType

from domain.generation.phrasebook import de, en, es, fr, it, nl, pl, pt
from domain.generation.phrasebook.phrases import ATTRIBUTE_KEYS, Phrases

PHRASEBOOK: Mapping[str, Phrases] = MappingProxyType({
    "en": en.PHRASES, "de": de.PHRASES, "fr": fr.PHRASES, "es": es.PHRASES,
    "it": it.PHRASES, "nl": nl.PHRASES, "pl": pl.PHRASES, "pt": pt.PHRASES,
})

__all__ = ["ATTRIBUTE_KEYS", "PHRASEBOOK", "Phrases"]
