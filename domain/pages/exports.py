"""Page exports: a landing page rendered with the design system into a file to download.

An export is a `pages.export` job of one unit; its id is the job's. The statuses are the
specification's: queued, building, ready, error.
"""

from domain.errors import InvalidCommandError

EXPORT_KIND = "pages.export"
FORMATS: dict[str, tuple[str, str]] = {
    "html": ("html", "text/html"),
    "tsx": ("tsx", "text/plain"),
    "json": ("json", "application/json"),
    "zip": ("zip", "application/zip"),
}
"""Format -> (file extension, media type of the download)."""
TRACKED_FORMATS = frozenset({"html", "tsx"})
"""The formats the view-counting snippet is put into."""
LINK_SECONDS = 24 * 3600
"""How long a download link stays valid."""


def check_format(value: object) -> str:
    if not isinstance(value, str) or value not in FORMATS:
        raise InvalidCommandError(f"format must be one of {', '.join(FORMATS)}")
    return value


def export_status(job_status: str, failed: int) -> str:
    """The export's status from its job's."""
    if job_status == "queued":
        return "queued"
    if job_status == "running":
        return "building"
    return "ready" if job_status == "completed" and failed == 0 else "error"


def export_file_name(slug: str, file_format: str) -> str:
    extension = FORMATS[file_format][0]
    return f"{slug}.{extension}"
