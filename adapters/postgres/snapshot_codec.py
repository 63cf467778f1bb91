"""A snapshot's state as JSON, and back.

The state is an aggregate's own attributes: numbers, text, Decimals, UUIDs, moments, lists,
sets, tuples, dicts (keys of any of these kinds), enums and dataclasses of the domain. Each
value that JSON has no type for is written as a one-key object naming its kind. Reading back
builds only these kinds and classes defined under `domain`: a row of the table can never make
the process run code it names, as unpickling could.
"""

import dataclasses
import enum
import importlib
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID


class UnreadableState(ValueError):
    """The bytes are not a state this codec wrote (or name a class it may not build)."""


def dumps(state: dict[str, Any]) -> bytes:
    """The state as JSON bytes; TypeError for a value of a kind it does not know."""
    return json.dumps(_encode(state), separators=(",", ":")).encode()


def loads(blob: bytes) -> dict[str, Any]:
    try:
        state = _decode(json.loads(blob))
    except (ValueError, TypeError, KeyError, AttributeError, ImportError) as error:
        raise UnreadableState(str(error)) from error
    if not isinstance(state, dict):
        raise UnreadableState("a state is a mapping")
    return state


def _name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _encode(value: Any) -> Any:
    if isinstance(value, enum.Enum):  # before str and int: an enum may be either
        return {"$enum": [_name(type(value)), _encode(value.value)]}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, UUID):
        return {"$uuid": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$dataclass": [_name(type(value)), fields]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, set | frozenset):
        kind = "$frozenset" if isinstance(value, frozenset) else "$set"
        return {kind: [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {"$dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise TypeError(f"a snapshot cannot hold a {type(value).__name__}")


def _domain_class(name: str) -> type:
    module_name, _, qualname = name.partition(":")
    if module_name != "domain" and not module_name.startswith("domain."):
        raise UnreadableState(f"{name} is not a class of the domain")
    found: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        found = getattr(found, part)
    if not isinstance(found, type):
        raise UnreadableState(f"{name} is not a class")
    return found


_SCALARS: dict[str, Callable[[str], Any]] = {
    "$decimal": Decimal, "$uuid": UUID, "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
}


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    [(kind, body)] = value.items()
    if kind in _SCALARS:
        return _SCALARS[kind](body)
    if kind == "$tuple":
        return tuple(_decode(v) for v in body)
    if kind == "$set":
        return {_decode(v) for v in body}
    if kind == "$frozenset":
        return frozenset(_decode(v) for v in body)
    if kind == "$dict":
        return {_decode(k): _decode(v) for k, v in body}
    if kind == "$enum":
        cls = _domain_class(body[0])
        if not issubclass(cls, enum.Enum):
            raise UnreadableState(f"{body[0]} is not an enum")
        return cls(_decode(body[1]))
    if kind == "$dataclass":
        cls = _domain_class(body[0])
        if not dataclasses.is_dataclass(cls):
            raise UnreadableState(f"{body[0]} is not a dataclass")
        return cls(**{k: _decode(v) for k, v in body[1].items()})
    raise UnreadableState(f"unknown kind {kind!r}")
