"""Which PostgreSQL text search configuration stems a text: the one of its language (an ISO
639-1 code, or a tag such as `de-AT`), `simple` (words as written) when the language is
unknown or has none. The migration's `index_product()` holds the same table in SQL."""

TEXT_SEARCH_CONFIGS = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
    "nl": "dutch", "pt": "portuguese", "da": "danish", "fi": "finnish", "sv": "swedish",
    "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "ru": "russian", "tr": "turkish",
    "hu": "hungarian", "ro": "romanian", "ca": "catalan", "el": "greek", "id": "indonesian",
    "ga": "irish", "lt": "lithuanian",
}
SIMPLE = "simple"
CONFIGS = tuple(sorted(set(TEXT_SEARCH_CONFIGS.values())))
"""Every configuration a row may have besides `simple`."""


def language_code(language: object) -> str | None:
    """`de` for "de", "DE", "de-AT" or "de_AT"; None for anything that names no language."""
    if not isinstance(language, str):
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def text_search_config(language: object) -> str:
    return TEXT_SEARCH_CONFIGS.get(language_code(language) or "", SIMPLE)
