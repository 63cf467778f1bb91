"""Blog post HTML made safe and well-formed: an allow-list of tags and attributes; scripts,
styles, frames and event handlers dropped with what they hold; links only to http(s),
mailto, fragments or relative paths; every tag closed. A post's content is always stored as
this gives it, whoever wrote it (a model or a reviewer)."""

from html import escape
from html.parser import HTMLParser

ALLOWED = {
    "p": (), "br": (), "hr": (), "h1": (), "h2": ("id",), "h3": ("id",), "h4": ("id",),
    "h5": (), "h6": (), "strong": (), "b": (), "em": (), "i": (), "u": (), "s": (),
    "blockquote": (), "code": (), "pre": (), "ul": (), "ol": (), "li": (), "span": (),
    "a": ("href", "title", "rel", "target"), "img": ("src", "alt", "title", "width", "height"),
    "figure": (), "figcaption": (), "table": (), "thead": (), "tbody": (), "tr": (),
    "th": ("colspan", "rowspan"), "td": ("colspan", "rowspan"), "div": (),
}
VOID = frozenset({"br", "hr", "img"})
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "noscript",
                                  "template", "svg", "math", "form", "textarea", "select"})
URL_ATTRIBUTES = frozenset({"href", "src"})
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def sanitize_html(html: str) -> str:
    cleaner = _Cleaner()
    cleaner.feed(html)
    cleaner.close()
    return cleaner.result()


def _safe_url(value: str) -> bool:
    url = "".join(value.split()).lower()
    if url.startswith(SAFE_SCHEMES) or url.startswith(("#", "/", "./", "../")):
        return not url.startswith("//")
    return ":" not in url.split("/", 1)[0]  # relative, with no scheme of its own


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.skipping: list[str] = []

    def result(self) -> str:
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or tag in DROPPED_WITH_CONTENT:
            if tag not in VOID:
                self.skipping.append(tag)
            return
        if tag not in ALLOWED:
            return
        kept = []
        for name, value in attrs:
            if name not in ALLOWED[tag] or value is None:
                continue
            if name in URL_ATTRIBUTES and not _safe_url(value):
                continue
            kept.append(f' {name}="{escape(value, quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or tag in DROPPED_WITH_CONTENT:
            return
        self.handle_starttag(tag, attrs)
        if tag in ALLOWED and tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag not in ALLOWED or tag in VOID or tag not in self.open:
            return
        while self.open:
            closing = self.open.pop()
            self.out.append(f"</{closing}>")
            if closing == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(escape(data, quote=False))
