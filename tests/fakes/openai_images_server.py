"""A local fake of OpenAI Images, `POST /v1/images/generations` as the official SDK calls it
(`Authorization: Bearer <key>`, JSON `model, prompt, n, size, quality, style,
response_format`) → `{created, data: [{b64_json, revised_prompt}]}` with a real PNG of the
size asked for. A key not in `keys` answers 401 with OpenAI's error shape.

    with running_fake_openai_images() as fake: fake.keys.add("sk-…"); fake.base_url …
"""

import base64
import contextlib
import io
import json
import time
from collections.abc import Iterator
from typing import Any

from PIL import Image

from tests.fakes.serving import QuietHandler, serving


class FakeOpenAIImages:
    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.requests: list[dict[str, Any]] = []
        """Each request's JSON body, with the key it came with as `_key`."""
        self.base_url = ""

    def handle(self, path: str, auth: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if path != "/v1/images/generations":
            return 404, {"error": {"message": "not found", "type": "invalid_request_error"}}
        key = auth.removeprefix("Bearer ")
        self.requests.append({**body, "_key": key})
        if key not in self.keys:
            return 401, {"error": {"message": "Incorrect API key provided",
                                   "type": "invalid_request_error", "code": "invalid_api_key"}}
        width, height = (int(n) for n in str(body.get("size", "1024x1024")).split("x"))
        out = io.BytesIO()
        Image.new("RGB", (width // 8, height // 8), (30, 120, 200)).save(out, "PNG")
        return 200, {"created": int(time.time()), "data": [{
            "b64_json": base64.b64encode(out.getvalue()).decode(),
            "revised_prompt": f"A picture of {body.get('prompt')}"}]}


@contextlib.contextmanager
def running_fake_openai_images() -> Iterator[FakeOpenAIImages]:
    fake = FakeOpenAIImages()

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, answer = fake.handle(self.path, self.headers.get("Authorization", ""),
                                         json.loads(raw or b"{}"))
            self.answer(status, "application/json", json.dumps(answer).encode())

    with serving(Handler) as base_url:
        fake.base_url = base_url + "/v1"
        yield fake
