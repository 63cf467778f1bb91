"""The base of every aggregate: state folded from its events, new events recorded."""

import hashlib
from collections.abc import Iterable
from types import CodeType, FunctionType
from typing import Any, ClassVar, Self
from uuid import UUID

from domain.events import DomainEvent


class Aggregate:
    """An aggregate is rebuilt by `evolve`-ing each of its past events in order.

    Command methods check the rules, then `_record` new events; `_record` evolves the
    state at once, so a method may record several events. `evolve` must never fail:
    replay runs it on every event ever stored.
    """

    snapshot_version: ClassVar[int] = 1
    """Raise it when the state changes shape in code `state_version` cannot see (a helper
    outside the class that `evolve` calls): snapshots taken before are then ignored."""

    _BOOKKEEPING: ClassVar[frozenset[str]] = frozenset({"id", "version", "pending"})

    def __init__(self, aggregate_id: UUID) -> None:
        self.id = aggregate_id
        self.version = 0
        self.pending: list[DomainEvent] = []

    @classmethod
    def rebuild(cls, aggregate_id: UUID, events: Iterable[DomainEvent]) -> Self:
        aggregate = cls(aggregate_id)
        for event in events:
            aggregate.evolve(event)
            aggregate.version += 1
        return aggregate

    # -- snapshots: the state after `version` events, to load without replaying them -----

    def snapshot_state(self) -> dict[str, Any]:
        """The state folded so far (no pending events), for `from_snapshot`."""
        assert not self.pending, "a snapshot is of stored events only"
        return {k: v for k, v in vars(self).items() if k not in self._BOOKKEEPING}

    @classmethod
    def from_snapshot(cls, aggregate_id: UUID, version: int, state: dict[str, Any]) -> Self:
        aggregate = cls(aggregate_id)
        vars(aggregate).update(state)
        aggregate.version = version
        return aggregate

    @classmethod
    def state_version(cls) -> str:
        """A digest of the code that shapes the state (`__init__`, `evolve`, the methods of
        the class these call, `snapshot_version`): a snapshot taken under another digest is
        never trusted."""
        cached = cls.__dict__.get("_state_version")
        if isinstance(cached, str):
            return cached
        digest = hashlib.sha256(f"{cls.__qualname__}:{cls.snapshot_version}".encode())
        for code in _state_code(cls):
            _hash_code(digest, code)
        version = digest.hexdigest()[:16]
        setattr(cls, "_state_version", version)  # noqa: B010 (per class, not inherited)
        return version

    @property
    def exists(self) -> bool:
        return self.version > 0 or bool(self.pending)

    def evolve(self, event: DomainEvent) -> None:
        raise NotImplementedError

    def _record(self, event: DomainEvent) -> None:
        self.evolve(event)
        self.pending.append(event)

    def collect(self) -> list[DomainEvent]:
        """Hand over the recorded events (the store appends them after `version`)."""
        events, self.pending = self.pending, []
        return events


def _method_code(cls: type, name: str) -> CodeType | None:
    for klass in cls.__mro__:
        function = klass.__dict__.get(name)
        if isinstance(function, FunctionType):
            return function.__code__
    return None


def _state_code(cls: type) -> list[CodeType]:
    """`__init__` and `evolve`, then every method of the class that they call (by name)."""
    found: dict[str, CodeType] = {}
    todo = ["__init__", "evolve"]
    while todo:
        name = todo.pop()
        code = _method_code(cls, name)
        if name in found or code is None:
            continue
        found[name] = code
        todo.extend(n for n in _names(code) if n not in found)
    return [found[n] for n in sorted(found)]


def _names(code: CodeType) -> list[str]:
    names = list(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names += _names(const)
    return names


def _hash_code(digest: Any, code: CodeType) -> None:
    digest.update(code.co_code)
    digest.update(repr(code.co_names).encode())
    digest.update(repr(code.co_varnames).encode())
    for const in code.co_consts:
        if isinstance(const, CodeType):
            _hash_code(digest, const)
        elif isinstance(const, frozenset):  # its order changes with the hash seed
            digest.update(repr(sorted(map(repr, const))).encode())
        else:
            digest.update(repr(const).encode())
