"""Which listed language a text is written in: a stop-word and letter heuristic.

Product copy keeps names and attribute values in their original language, so the decision
rests on the little words around them. Short texts give too little signal and are not judged.
"""

from collections.abc import Mapping
from types import MappingProxyType

from domain.generation.text import words

MIN_WORDS = 8
"""Below this many words a text is not judged."""


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOP_WORDS: Mapping[str, frozenset[str]] = MappingProxyType({
    "en": _set("the and of to a in is for with on this that it its you your are by from as be or "
               "an at our has have will can which made"),
    "de": _set("der die das und ist mit für ein eine einem einen einer zu den von im auf sich "
               "dem des nicht aus wird bei sie es ihr ihre unsere auch oder wie"),
    "fr": _set("le la les et est un une des du de pour avec en dans sur au aux ce cette qui que "
               "vous votre vos son sa ses par il elle ou nos notre"),
    "es": _set("el la los las y es un una de del para con en por que su sus se al lo este esta "
               "como nuestro nuestra o muy tu"),
    "it": _set("il lo la i gli le e è un una di del della per con in che si al alla dei delle "
               "questo questa il suo sua nostro nostra o"),
    "nl": _set("de het een en is van voor met in op dat die dit zijn te aan bij ook uit je jouw "
               "onze ons of wordt naar"),
    "pl": _set("i w z na do się jest to że dla od po o a jak ten ta te który która oraz lub "
               "przez nasz nasza jego jej"),
    "pt": _set("o a os as e é um uma de do da dos das para com em no na por que seu sua se ao "
               "este esta nosso nossa ou mais"),
})

LETTERS: Mapping[str, frozenset[str]] = MappingProxyType({
    "de": frozenset("äöüß"),
    "fr": frozenset("éèêàçùâîôœ"),
    "es": frozenset("ñáéíóú¿¡"),
    "it": frozenset("àèéìòù"),
    "pl": frozenset("ąćęłńóśźż"),
    "pt": frozenset("ãõçáéíóúâêô"),
    "nl": frozenset("ĳ"),
})
"""Letters typical of a language; each occurrence counts a little towards it."""


def language_scores(text: str) -> dict[str, float]:
    """A score per listed language: its stop words, plus a little for its typical letters."""
    tokens = words(text)
    scores = {lang: float(sum(1 for t in tokens if t in stops)) for lang, stops in STOP_WORDS.items()}
    lowered = text.lower()
    for lang, letters in LETTERS.items():
        scores[lang] += 0.25 * sum(1 for ch in lowered if ch in letters)
    return scores


def detect_language(text: str) -> str | None:
    """The most likely listed language of `text`; None when too short or without any signal."""
    if len(words(text)) < MIN_WORDS:
        return None
    scores = language_scores(text)
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else None


def is_written_in(text: str, language: str) -> bool | None:
    """Whether `text` reads as `language`; None when that cannot be judged (short text, a
    language without stop words here). Close calls go to the requested language."""
    if language not in STOP_WORDS or len(words(text)) < MIN_WORDS:
        return None
    scores = language_scores(text)
    best = max(scores.values())
    if best == 0:
        return None
    return scores[language] >= 0.6 * best
