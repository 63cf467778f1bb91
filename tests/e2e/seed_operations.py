"""The operations of a seed document (the specification, rendered from its server's OpenAPI
document): method, path, title and the example of its successful response.

The text reads, per operation: a title line, the method, the path, a description, then
sections (Authorizations, Parameters, Request Body) and "Responses" / "Successful Response",
a media type and a JSON example. A title with no method after it names an operation only.
"""

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

from tests.support import ROOT

SEEDS_UNDER = Path("shared") / "reference" / "seeds"
"""Where the seeds are beside the project (`../shared/reference/seeds`; a checkout in a
deeper folder finds them in the nearest folder above that has them)."""
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
NO_EXAMPLE = object()
"""The example of an operation whose seed shows no response body."""
_MEDIA_TYPE = re.compile(r"^[a-z]+/[a-z0-9.+-]+$")
_STATUS = re.compile(r"^([1-5][0-9]{2})\b")


@dataclasses.dataclass(frozen=True)
class SeedOperation:
    method: str
    path: str
    title: str
    status: int
    media_type: str
    example: Any

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path


def seeds_folder() -> Path:
    for folder in ROOT.parents:
        if (folder / SEEDS_UNDER).is_dir():
            return folder / SEEDS_UNDER
    raise FileNotFoundError(f"no {SEEDS_UNDER} beside {ROOT} or above it")


def seed_file(number: str) -> Path:
    (path,) = seeds_folder().glob(f"{number}_*.txt")
    return path


def read_operations(path: Path) -> list[SeedOperation]:
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines)
              if line in METHODS and i + 1 < len(lines) and lines[i + 1].startswith("/")]
    ends = [*(start - 1 for start in starts[1:]), len(lines)]
    return [_operation(lines, start, end) for start, end in zip(starts, ends, strict=True)]


def _operation(lines: list[str], start: int, end: int) -> SeedOperation:
    body = lines[start + 2:end]
    status, media_type, example = 200, "", NO_EXAMPLE
    if "Successful Response" in body:
        at = body.index("Successful Response")
        before = body[at - 1] if at else ""
        if (code := _STATUS.match(before)) is not None:
            status = int(code.group(1))
        rest = body[at + 1:]
        if rest and _MEDIA_TYPE.match(rest[0]):
            media_type = rest[0]
            example = _leading_json("\n".join(rest[1:]))
    return SeedOperation(method=lines[start], path=lines[start + 1], title=lines[start - 1],
                         status=status, media_type=media_type, example=example)


def _leading_json(text: str) -> Any:
    """The JSON value the text begins with (the next section's text may follow it)."""
    try:
        value, _ = json.JSONDecoder().raw_decode(text.lstrip())
    except json.JSONDecodeError:
        return NO_EXAMPLE
    return value
