"""A blog post's SEO score: 0 to 100 from twelve checks, each explained, each failed one with
what to do about it. A pure function of the post's text: the same post scores the same."""

import dataclasses
import re
from html.parser import HTMLParser

from domain.generation.text import words

TITLE_RANGE = (30, 60)
META_RANGE = (120, 160)
DENSITY_RANGE = (0.5, 2.5)
"""Percent of the words that are the focus keyword's."""
MIN_WORDS = 300
MAX_SENTENCE_WORDS = 20
MAX_PARAGRAPH_WORDS = 150
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


@dataclasses.dataclass(frozen=True, kw_only=True)
class SeoCheck:
    id: str
    label: str
    passed: bool
    points: int
    max_points: int
    detail: str
    """What was found."""
    recommendation: str
    """What to do; empty when the check passed."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class SeoScore:
    score: int
    focus_keyword: str
    checks: tuple[SeoCheck, ...]

    @property
    def recommendations(self) -> list[str]:
        return [c.recommendation for c in self.checks if c.recommendation]


@dataclasses.dataclass(frozen=True, kw_only=True)
class PostText:
    title: str
    content: str
    """HTML."""
    slug: str
    meta_title: str
    meta_description: str


class _Outline(HTMLParser):
    """The headings, paragraphs, links and images of a post's HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.paragraphs: list[str] = []
        self.links: list[str] = []
        self.images: list[str | None] = []
        """Each image's alt text (None: it has none)."""
        self.text: list[str] = []
        self._open: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        elif tag == "img":
            self.images.append((found.get("alt") or "").strip() or None)
        elif tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6") and self._open is None:
            self._open, self._buffer = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            text = " ".join("".join(self._buffer).split())
            if tag == "p":
                self.paragraphs.append(text)
            else:
                self.headings.append((int(tag[1]), text))
            self._open = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open is not None:
            self._buffer.append(data)


def _check(id_: str, label: str, points: int, max_points: int, detail: str,
           recommendation: str) -> SeoCheck:
    passed = points == max_points
    return SeoCheck(id=id_, label=label, passed=passed, points=points, max_points=max_points,
                    detail=detail, recommendation="" if passed else recommendation)


def _has(keyword: str, text: str) -> bool:
    return bool(keyword) and keyword in text.lower()


def _in_range(value: int, low: int, high: int, max_points: int) -> int:
    """All points within the range, half within a quarter of it around, else none."""
    if low <= value <= high:
        return max_points
    margin = (high - low) // 2 or 1
    return max_points // 2 if low - margin <= value <= high + margin else 0


def score_post(post: PostText, focus_keyword: str) -> SeoScore:
    keyword = " ".join(focus_keyword.lower().split())
    outline = _Outline()
    outline.feed(post.content)
    outline.close()
    body = " ".join(" ".join(outline.text).split())
    body_words = words(body)
    checks = [
        _check("keyword_in_title", "Focus keyword in the title", 12 if _has(keyword, post.title)
               else 0, 12, f"Title: {post.title!r}.",
               f"Put {focus_keyword!r} in the title, near its start."),
        _check("keyword_in_first_paragraph", "Focus keyword in the first paragraph",
               10 if outline.paragraphs and _has(keyword, outline.paragraphs[0]) else 0, 10,
               "The first paragraph " + ("names it." if outline.paragraphs and _has(
                   keyword, outline.paragraphs[0]) else "does not name it."),
               f"Name {focus_keyword!r} in the first paragraph."),
        _check("keyword_in_headings", "Focus keyword in a subheading",
               8 if any(_has(keyword, h) for level, h in outline.headings if level >= 2) else 0, 8,
               f"{len(outline.headings)} headings.",
               f"Use {focus_keyword!r} in at least one H2 or H3 subheading."),
        _check("keyword_in_slug", "Focus keyword in the slug",
               8 if keyword and "-".join(words(keyword)) in post.slug else 0, 8,
               f"Slug: {post.slug!r}.", "Make the slug contain the focus keyword's words."),
        _density(keyword, body_words),
        _check("title_length", "Title length", _in_range(len(post.meta_title or post.title),
                                                         *TITLE_RANGE, 8), 8,
               f"{len(post.meta_title or post.title)} characters.",
               f"Keep the SEO title between {TITLE_RANGE[0]} and {TITLE_RANGE[1]} characters."),
        _check("meta_description_length", "Meta description length",
               _in_range(len(post.meta_description), *META_RANGE, 10), 10,
               f"{len(post.meta_description)} characters.",
               f"Write a meta description of {META_RANGE[0]} to {META_RANGE[1]} characters."),
        _headings(outline.headings),
        _readability(body, outline.paragraphs),
        _check("links", "Links to products or other pages", 8 if outline.links else 0, 8,
               f"{len(outline.links)} links.",
               "Link to the products the post names, or to related pages of the site."),
        _images(outline.images),
        _check("content_length", "Length of the text",
               4 if len(body_words) >= MIN_WORDS else (2 if len(body_words) >= MIN_WORDS // 2
                                                      else 0), 4,
               f"{len(body_words)} words.", f"Write at least {MIN_WORDS} words."),
    ]
    return SeoScore(score=sum(c.points for c in checks), focus_keyword=focus_keyword,
                    checks=tuple(checks))


def _density(keyword: str, body_words: list[str]) -> SeoCheck:
    key_words = words(keyword)
    n = len(key_words)
    hits = sum(1 for i in range(len(body_words) - n + 1) if n and body_words[i:i + n] == key_words)
    density = 100.0 * hits * max(n, 1) / len(body_words) if body_words else 0.0
    low, high = DENSITY_RANGE
    points = 10 if low <= density <= high else (5 if 0 < density < low or high < density <= 4
                                                 else 0)
    return _check("keyword_density", "Focus keyword density", points, 10,
                  f"{hits} uses, {density:.1f}% of the words.",
                  f"Use the focus keyword for {low}% to {high}% of the words"
                  + (" (fewer: it reads as stuffing)." if density > high else "."))


def _headings(headings: list[tuple[int, str]]) -> SeoCheck:
    levels = [level for level, _ in headings]
    problems = []
    if 1 in levels:
        problems.append("an H1 in the text (the title is the page's H1)")
    if levels.count(2) < 2:
        problems.append("fewer than two H2 sections")
    if any(b > a + 1 for a, b in zip([2, *levels], levels, strict=False)):
        problems.append("a skipped heading level")
    return _check("heading_structure", "Heading structure", 8 - 3 * min(len(problems), 2) if
                  problems else 8, 8,
                  "Headings: " + (", ".join(f"H{level}" for level in levels) or "none") + ".",
                  "Fix: " + "; ".join(problems) + "." if problems else "")


def _readability(body: str, paragraphs: list[str]) -> SeoCheck:
    sentences = [s for s in _SENTENCE.findall(body) if words(s)]
    average = sum(len(words(s)) for s in sentences) / len(sentences) if sentences else 0.0
    long_paragraphs = sum(1 for p in paragraphs if len(words(p)) > MAX_PARAGRAPH_WORDS)
    points = 10 if average <= MAX_SENTENCE_WORDS else (5 if average <= MAX_SENTENCE_WORDS + 5
                                                       else 0)
    if long_paragraphs:
        points = max(0, points - 5)
    return _check("readability", "Readability", points, 10,
                  f"{average:.1f} words a sentence, {long_paragraphs} paragraphs over"
                  f" {MAX_PARAGRAPH_WORDS} words.",
                  f"Keep sentences under {MAX_SENTENCE_WORDS} words on average and paragraphs"
                  f" under {MAX_PARAGRAPH_WORDS} words.")


def _images(alts: list[str | None]) -> SeoCheck:
    if not alts:
        return _check("image_alt_texts", "Images with alt text", 0, 4, "No images.",
                      "Add an image (a product photo) with an alt text naming what it shows.")
    missing = sum(1 for alt in alts if alt is None)
    return _check("image_alt_texts", "Images with alt text", 4 if not missing else 0, 4,
                  f"{len(alts)} images, {missing} without alt text.",
                  "Give every image an alt text describing it.")
