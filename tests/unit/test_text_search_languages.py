"""The language a text is stemmed in: ISO codes and tags to PostgreSQL configurations, the
same table in Python (pages) and in the migration's trigger (products)."""

import re
from importlib import resources

from domain.search.languages import TEXT_SEARCH_CONFIGS, language_code, text_search_config


def test_codes_and_tags_name_their_language_and_anything_else_is_simple() -> None:
    assert [text_search_config(x) for x in ("de", "DE", "de-AT", "de_CH", " fr ", "pt-BR")] == [
        "german", "german", "german", "german", "french", "portuguese"]
    assert [text_search_config(x) for x in (None, "", "xx", "ja", 42, "english", "d")] == [
        "simple"] * 7
    assert language_code("nb-NO") == "nb" and language_code("1e") is None


def test_the_migrations_trigger_holds_the_same_table() -> None:
    sql = (resources.files("migrations") / "projections" / "search.sql").read_text()
    trigger = sql[sql.index("FUNCTION index_product()"):sql.index("FUNCTION index_page()")]
    pairs = dict(re.findall(r"WHEN '([a-z]+)' THEN '([a-z]+)'", trigger))
    assert pairs == TEXT_SEARCH_CONFIGS
