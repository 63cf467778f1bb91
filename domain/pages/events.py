"""What happens in the pages context: the organization's design system and its page
templates. A template's blocks are in its events as the user gave them, once validated."""

from typing import Any
from uuid import UUID

from domain.events import DomainEvent


class PagesEvent(DomainEvent):
    """The base of every pages event: its topic in the log is `pages.<ClassName>`."""

    context = "pages"


class DesignSystemChanged(PagesEvent):
    """The whole design system after a change (every token, not only those changed)."""

    primary_color: str
    secondary_color: str
    background_color: str
    text_color: str
    heading_font: str
    body_font: str
    border_radius: str
    spacing_unit: int
    custom_css: str


class TemplateSaved(PagesEvent):
    number: int
    name: str
    description: str
    blocks: tuple[dict[str, Any], ...]
    tags: tuple[str, ...]


class TemplateChanged(PagesEvent):
    number: int
    name: str
    description: str
    blocks: tuple[dict[str, Any], ...]
    tags: tuple[str, ...]


class TemplateDeleted(PagesEvent):
    number: int


# --- landing pages ------------------------------------------------------------------------


class PageSlugClaimed(PagesEvent):
    """The organization's page directory gave `slug` to page `number`."""

    number: int
    slug: str


class PageSlugReleased(PagesEvent):
    number: int
    slug: str


class LandingPageCreated(PagesEvent):
    number: int
    slug: str
    title: str
    query: int | None
    """The number of the saved query the page is generated from."""
    published: bool


class LandingPageChanged(PagesEvent):
    number: int
    slug: str
    title: str
    published: bool


class LandingPageDeleted(PagesEvent):
    number: int


class LandingPageGenerated(PagesEvent):
    """What a generation wrote: the intro, the products found for the query, the blocks."""

    number: int
    intro_copy: str
    product_skus: tuple[str, ...]
    blocks: tuple[dict[str, Any], ...]


class LandingPageBlocksEdited(PagesEvent):
    """One operation of the page builder, by a user or the agent a user asked; `blocks` is
    the whole page after it (what the read model keeps)."""

    number: int
    operation: str
    block_id: str
    block: dict[str, Any] | None
    position: int | None
    blocks: tuple[dict[str, Any], ...]
    actor: str
    """`user` or `agent`."""
    user_id: UUID | None


# --- HTML pages ---------------------------------------------------------------------------


class HtmlPageCreated(PagesEvent):
    """A page of the organization's own HTML (version 1), served at `/p/<slug>`."""

    number: int
    name: str
    slug: str
    description: str
    html_content: str
    storage_mode: str
    features: dict[str, bool]
    is_published: bool


class HtmlPageChanged(PagesEvent):
    """The page after a change of its metadata (`version` unchanged) or of its HTML (a new
    `html_version`, whose `html_content` this is)."""

    number: int
    name: str
    slug: str
    description: str
    html_content: str
    storage_mode: str
    features: dict[str, bool]
    is_published: bool
    html_version: int


class HtmlPagePreviewImageSet(PagesEvent):
    """A new preview image of the page: its file (`previews/<file_name>` in the file store)
    and what made it (`openai` or `offline`)."""

    number: int
    file_name: str
    made_by: str


class HtmlPageDeleted(PagesEvent):
    number: int
    slug: str
