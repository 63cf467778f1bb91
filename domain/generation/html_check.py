"""Whether generated HTML is well-formed and keeps to the tags copy may use."""

import re
from html.parser import HTMLParser

from domain.generation.prompts import HTML_TAGS

VOID_TAGS = frozenset({"br"})
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^>]*)?/?>")


def has_html(text: str) -> bool:
    return bool(_ANY_TAG.search(text))


def html_problems(text: str) -> list[str]:
    """What is wrong with `text` as copy HTML (unknown tags, attributes, unbalanced tags)."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    problems = list(dict.fromkeys(checker.problems))
    if checker.open_tags:
        problems.append(f"<{checker.open_tags[-1]}> is never closed")
    return problems


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open_tags: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_tag(tag, attrs)
        if tag not in VOID_TAGS:
            self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_tag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if self.open_tags and self.open_tags[-1] == tag:
            self.open_tags.pop()
        elif tag in self.open_tags:
            self.problems.append(f"<{self.open_tags[-1]}> is closed by </{tag}>")
            while self.open_tags.pop() != tag:
                pass
        else:
            self.problems.append(f"</{tag}> closes nothing")

    def _check_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS:
            self.problems.append(f"<{tag}> is not an allowed tag")
        if attrs:
            self.problems.append(f"<{tag}> carries attributes")
