"""The job kinds copydesk knows, by name: the built-in ones and those the settings add.

A kind is plugged in by naming it here ("module:attr") or, without touching the code, in
`COPYDESK_JOB_KINDS="module:attr,…"`. `attr` is a JobKind, a list of them, or a function
returning either, given the entrypoint's settings when it takes an argument. The API and
the workers must see the same kinds.
"""

import importlib
import inspect
from collections.abc import Iterable

from adapters.settings import Settings
from commands.jobs.kind import JobKind, check_kind

BUILT_IN: tuple[str, ...] = ("commands.generation.kinds:kinds", "commands.imports.kind:KIND",
                             "commands.search.feed_sync:KIND", "commands.pages.page_generation:KIND",
                             "commands.pages.bulk_generation:KIND", "commands.pages.page_export:KIND",
                             "commands.stores.import_kind:KIND",
                             "commands.stores.sync_kind:KIND",
                             "commands.blog.post_generation:KIND")
"""The kinds shipped with copydesk ("module:attr")."""


def load_kinds(settings: Settings) -> dict[str, JobKind]:
    """The built-in kinds and those `settings.job_kinds` names, made with `settings`;
    ValueError for a bad or duplicate one."""
    kinds: dict[str, JobKind] = {}
    names = [*BUILT_IN, *(s.strip() for s in settings.job_kinds.split(",") if s.strip())]
    for spec in names:
        for kind in _resolve(spec, settings):
            if kind.name in kinds and kinds[kind.name] is not kind:
                raise ValueError(f"two job kinds are named {kind.name!r}")
            kinds[kind.name] = kind
    return kinds


def _resolve(spec: str, settings: Settings) -> list[JobKind]:
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ValueError(f"job kind {spec!r}: expected 'module:attr'")
    found: object = getattr(importlib.import_module(module_name), attr)
    if isinstance(found, type):
        found = found()
    elif callable(found) and not isinstance(found, JobKind):
        found = found(settings) if inspect.signature(found).parameters else found()
    items = found if isinstance(found, Iterable) else [found]
    return [check_kind(item) for item in items]
