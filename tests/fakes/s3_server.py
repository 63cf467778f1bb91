"""A local S3-compatible object store (path-style PUT/GET/DELETE) that checks SigV4
signatures: in the Authorization header, or in the query of a presigned GET (refused once its
`X-Amz-Expires` has passed), whose `response-content-*` parameters set the answer's headers."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl

from adapters.files.sigv4 import presign, sign
from tests.fakes.serving import serving

_AUTH = re.compile(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/s3/aws4_request, "
                   r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})")


class FakeS3:
    def __init__(self, access_key: str, secret_key: str, bucket: str) -> None:
        self.access_key, self.secret_key, self.bucket = access_key, secret_key, bucket
        self.objects: dict[str, bytes] = {}
        self.refused = 0
        self.url = ""

    def authorized(self, handler: BaseHTTPRequestHandler) -> bool:
        path, _, raw_query = handler.path.partition("?")
        query = dict(parse_qsl(raw_query, keep_blank_values=True))
        if "X-Amz-Signature" in query:
            return handler.command == "GET" and self._presigned(handler, path, query)
        match = _AUTH.fullmatch(handler.headers.get("Authorization", ""))
        if not match or match.group(1) != self.access_key:
            return False
        signed = match.group(4).split(";")
        headers = {n: handler.headers.get(n, "") for n in signed
                   if n not in ("host", "x-amz-date", "x-amz-content-sha256")}
        stamp = handler.headers.get("x-amz-date", "")
        expected = sign(
            method=handler.command, host=handler.headers.get("host", ""), path=handler.path,
            query={}, headers=headers, payload_hash=handler.headers.get("x-amz-content-sha256", ""),
            access_key=self.access_key, secret_key=self.secret_key, region=match.group(3),
            now=datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC),
        )
        return expected["Authorization"] == handler.headers["Authorization"]

    def _presigned(self, handler: BaseHTTPRequestHandler, path: str,
                   query: dict[str, str]) -> bool:
        given = query.pop("X-Amz-Signature")
        credential = query.get("X-Amz-Credential", "").split("/")
        try:
            signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            expires = int(query["X-Amz-Expires"])
        except (KeyError, ValueError):
            return False
        if credential[0] != self.access_key or len(credential) != 5:
            return False
        if datetime.now(UTC) > signed_at + timedelta(seconds=expires):
            return False
        own = {k: v for k, v in query.items() if not k.startswith("X-Amz-")}
        expected = presign(method="GET", host=handler.headers.get("host", ""), path=path,
                           query=own, access_key=self.access_key, secret_key=self.secret_key,
                           region=credential[2], now=signed_at, expires_seconds=expires)
        return expected == {**query, "X-Amz-Signature": given}


def _handler(s3: FakeS3) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _key(self) -> str | None:
            prefix, path = f"/{s3.bucket}/", self.path.partition("?")[0]
            return path[len(prefix):] if path.startswith(prefix) else None

        def _answer(self, status: int, body: bytes = b"") -> None:
            self.send_response(status)
            query = dict(parse_qsl(self.path.partition("?")[2]))
            for name in ("content-disposition", "content-type"):
                if status == 200 and f"response-{name}" in query:
                    self.send_header(name.title(), query[f"response-{name}"])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _checked(self) -> str | None:
            key = self._key()
            if key is None:
                self._answer(404, b"<Error><Code>NoSuchBucket</Code></Error>")
                return None
            if not s3.authorized(self):
                s3.refused += 1
                self._answer(403, b"<Error><Code>SignatureDoesNotMatch</Code></Error>")
                return None
            return key

        def do_PUT(self) -> None:
            length = int(self.headers.get("Content-Length", "-1"))
            body = self.rfile.read(length) if length >= 0 else b""
            key = self._checked()
            if key is None:
                return
            if length < 0:
                self._answer(411)
                return
            s3.objects[key] = body
            self._answer(200)

        def do_GET(self) -> None:
            key = self._checked()
            if key is None:
                return
            if key not in s3.objects:
                self._answer(404, b"<Error><Code>NoSuchKey</Code></Error>")
                return
            self._answer(200, s3.objects[key])

        def do_DELETE(self) -> None:
            key = self._checked()
            if key is not None:
                s3.objects.pop(key, None)
                self._answer(204)

    return Handler


@contextmanager
def running_fake_s3(access_key: str = "AKIDTEST", secret_key: str = "s3-secret",
                    bucket: str = "copydesk") -> Iterator[FakeS3]:
    s3 = FakeS3(access_key, secret_key, bucket)
    with serving(_handler(s3)) as s3.url:
        yield s3
