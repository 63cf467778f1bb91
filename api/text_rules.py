"""Text that PostgreSQL cannot store (`text` refuses NUL, `jsonb` also the `\\u0000` escape;
neither takes a lone surrogate), found in request values before they reach a command or a query.
Each check answers what is wrong, naming the field, or None."""

import re
from typing import Any
from urllib.parse import unquote_to_bytes

BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
# In raw JSON only an escape can spell these (a raw NUL is malformed, raw surrogates not UTF-8);
# a body without one needs no walk through its strings (an escaped backslash only costs a walk).
ESCAPED_BAD_CHARACTER = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
MAX_JSON_DEPTH = 64
DEEPER = "the JSON body is nested deeper than {} levels"


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored, or None."""
    found = BAD_CHARACTER.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "text may not contain NUL characters"
    return "text may not contain lone surrogates (it is not valid Unicode)"


def shown(name: str) -> str:
    """A field name fit for a message: its unstorable characters escaped."""
    return BAD_CHARACTER.sub(lambda m: f"\\u{ord(m.group()):04x}", name)


def json_problem(value: Any, max_depth: int = MAX_JSON_DEPTH) -> str | None:
    """The first string (or key) of a decoded JSON document that cannot be stored, or a
    nesting deeper than `max_depth`, as a message naming its field; None if all is well."""
    pending: list[tuple[Any, str, int]] = [(value, "", 1)]
    while pending:
        node, path, depth = pending.pop()
        if isinstance(node, str):
            problem = text_problem(node)
            if problem:
                return f"field '{shown(path) or '$'}': {problem}"
        elif isinstance(node, dict | list):
            if depth > max_depth:
                return DEEPER.format(max_depth)
            children: list[tuple[Any, str, int]] = []
            if isinstance(node, dict):
                for key, item in node.items():
                    child = f"{path}.{key}" if path else str(key)
                    problem = text_problem(str(key))
                    if problem:
                        return f"field '{shown(child)}': {problem} (in a key)"
                    children.append((item, child, depth + 1))
            else:
                children = [(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(node)]
            pending.extend(reversed(children))
    return None


def json_body_problem(body: bytes, value: Any, max_depth: int = MAX_JSON_DEPTH) -> str | None:
    """`json_problem` of `value` decoded from `body`, walking only what the raw bytes leave
    in doubt: the strings when an escape could spell a bad character, else only the depth."""
    if ESCAPED_BAD_CHARACTER.search(body):
        return json_problem(value, max_depth)
    if body.count(b"[") + body.count(b"{") > max_depth and too_deep(value, max_depth):
        return DEEPER.format(max_depth)
    return None


def too_deep(value: Any, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """Whether objects and arrays nest deeper than `max_depth`, level by level."""
    level = [value] if isinstance(value, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > max_depth:
            return True
        below: list[Any] = []
        for node in level:
            below.extend(child for child in (node.values() if isinstance(node, dict) else node)
                         if isinstance(child, dict | list))
        level = below
    return False


def pairs_problem(raw: bytes, what: str) -> str | None:
    """What is wrong with a query string or an urlencoded form (`what`: "query parameter",
    "form field"): a name or value that is not UTF-8 or cannot be stored, or None."""
    for pair in raw.split(b"&"):
        if not pair:
            continue
        name_part, _, value_part = pair.partition(b"=")
        try:
            name = unquote_to_bytes(name_part.replace(b"+", b" ")).decode()
        except UnicodeDecodeError:
            return f"a {what} name is not UTF-8"
        problem = text_problem(name)
        if problem:
            return f"{what} '{shown(name)}': {problem} (in its name)"
        try:
            value = unquote_to_bytes(value_part.replace(b"+", b" ")).decode()
        except UnicodeDecodeError:
            return f"{what} '{name}': the value is not UTF-8"
        problem = text_problem(value)
        if problem:
            return f"{what} '{name}': {problem}"
    return None
