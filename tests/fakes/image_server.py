"""A local HTTP server with pictures to read: files by path, each with its content type.

    with serving_files({"/logo.png": (png_bytes, "image/png")}) as base_url: ...
"""

import contextlib
from collections.abc import Iterator

from tests.fakes.serving import QuietHandler, serving


@contextlib.contextmanager
def serving_files(files: dict[str, tuple[bytes, str]]) -> Iterator[str]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            found = files.get(self.path)
            if found is None:
                self.send_error(404)
                return
            body, content_type = found
            self.answer(200, content_type, body)

    with serving(Handler) as base_url:
        yield base_url
