"""The specification's words for job types, beside copydesk's own kind names.

A client written against the specification sends `generation`, `regeneration`, `sync` or
`import`; copydesk's kinds are named by context (`content.generate`, `catalog.import`). Both
are taken when a job is created, and a job is shown with the specification's word where there
is one, so that such a client recognises its jobs.
"""

from domain.errors import InvalidCommandError

SEED_WORDS: dict[str, str] = {
    "generation": "content.generate",
    "regeneration": "content.regenerate",
    "import": "catalog.import",
    "sync": "store.sync",
}
"""The specification's job type → the kind that does that work."""
NOT_YET: dict[str, str] = {}
_WORD_OF = {kind: word for word, kind in SEED_WORDS.items()}


def kind_name(job_type: str) -> str:
    """The kind a client's `job_type` names: a specification word, else the name itself;
    InvalidCommandError for a word whose work copydesk does not do yet."""
    if job_type in NOT_YET:
        raise InvalidCommandError(NOT_YET[job_type])
    return SEED_WORDS.get(job_type, job_type)


def shown_job_type(kind: str) -> str:
    """The `job_type` a job is listed with: the specification's word for its kind, if any."""
    return _WORD_OF.get(kind, kind)
