"""The full-text leg of a search, for rows stemmed in their own language (`tsconfig`): the
query's words as written OR stemmed in the row's language. A constant OR over every language
lets the GIN index find the candidates; each is then checked (and ranked) with its own."""

from domain.search.languages import CONFIGS, SIMPLE

_ANY = " || ".join(f"websearch_to_tsquery('{config}', w)" for config in (SIMPLE, *CONFIGS))
WORDS = (
    f"(SELECT websearch_to_tsquery('{SIMPLE}', w) AS simple, {_ANY} AS any, w"
    " FROM (SELECT %s::text AS w) given) q"
)
"""A FROM item `q` of the query text (the statement's first parameter)."""
_OWN = "(q.simple || websearch_to_tsquery(tsconfig, q.w))"
MATCHES = f"tsv @@ q.any AND tsv @@ {_OWN}"
RANK = f"ts_rank_cd(tsv, {_OWN})"
