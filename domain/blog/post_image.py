"""An image attached to a blog post: a stock photo, an upload or an AI picture, kept as a
re-encoded file in the file store. The post itself is checked by the caller (it belongs to
another aggregate); the image remembers its post so that it answers only there."""

from uuid import UUID

from domain.aggregate import Aggregate
from domain.blog.media_events import PostImageAdded, PostImageRemoved
from domain.errors import InvalidCommandError, NotFoundError
from domain.events import DomainEvent

SOURCES = ("stock", "upload", "ai")
MAX_ALT = 500
MAX_URL = 2000
MAX_ATTRIBUTION = 500


def check_alt_text(alt_text: str) -> str:
    cleaned = " ".join(alt_text.split())
    if len(cleaned) > MAX_ALT:
        raise InvalidCommandError(f"alt_text must be at most {MAX_ALT} characters")
    return cleaned


class PostImage(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.post_id: UUID | None = None
        self.file_key = ""
        self.live = False

    def add(self, *, org_id: UUID, project_id: UUID, post_id: UUID, source: str,
            file_key: str, file_size: int, mime: str, width: int, height: int,
            alt_text: str, original_url: str = "", attribution: str = "") -> None:
        if source not in SOURCES:
            raise InvalidCommandError(f"source must be one of {', '.join(SOURCES)}")
        if len(original_url) > MAX_URL:
            raise InvalidCommandError(f"original_url must be at most {MAX_URL} characters")
        if width <= 0 or height <= 0 or file_size <= 0:
            raise InvalidCommandError("the image is empty")
        self._record(PostImageAdded(
            org_id=org_id, project_id=project_id, post_id=post_id, source=source,
            file_key=file_key, file_size=file_size, mime=mime, width=width, height=height,
            alt_text=check_alt_text(alt_text), original_url=original_url,
            attribution=" ".join(attribution.split())[:MAX_ATTRIBUTION]))

    def remove(self, org_id: UUID, post_id: UUID) -> None:
        self.check_is_live(org_id, post_id)
        self._record(PostImageRemoved(org_id=org_id, post_id=post_id, file_key=self.file_key))

    def check_is_live(self, org_id: UUID, post_id: UUID) -> None:
        if not self.live or self.org_id != org_id or self.post_id != post_id:
            raise NotFoundError("blog image not found")

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case PostImageAdded():
                self.org_id, self.post_id = event.org_id, event.post_id
                self.file_key, self.live = event.file_key, True
            case PostImageRemoved():
                self.live = False
            case _:
                pass
