"""Files in an S3-compatible bucket, addressed path-style (`<endpoint>/<bucket>/<key>`)."""

import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import BinaryIO
from urllib.parse import quote, urlsplit

import httpx

from adapters.files.sigv4 import EMPTY_SHA256, UNSIGNED, presign, sign
from adapters.files.store import CHUNK, StoredFile, check_key, read_chunks

SPOOL_IN_MEMORY = 8 << 20


class S3FileStore:
    def __init__(self, *, endpoint: str, bucket: str, region: str, access_key: str, secret_key: str,
                 timeout: float = 60.0) -> None:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("the S3 endpoint must be an http(s) URL")
        self._base = f"{parts.scheme}://{parts.netloc}"
        self._host = parts.netloc
        self._bucket = bucket
        self._region = region or "us-east-1"
        self._access_key = access_key
        self._secret_key = secret_key
        self._client = httpx.Client(timeout=timeout)

    def _request(self, method: str, key: str, payload_hash: str,
                 headers: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
        path = f"/{self._bucket}/{check_key(key)}"
        extra = dict(headers or {})
        extra.update(sign(method=method, host=self._host, path=path, query={}, headers=extra,
                          payload_hash=payload_hash, access_key=self._access_key,
                          secret_key=self._secret_key, region=self._region, now=datetime.now(UTC)))
        return self._base + path, extra

    def put(self, key: str, chunks: Iterable[bytes]) -> StoredFile:
        # S3 wants the length up front: spool (memory, then disk) to learn it
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
            size = 0
            for chunk in chunks:
                spool.write(chunk)
                size += len(chunk)
            spool.seek(0)
            url, headers = self._request("PUT", key, UNSIGNED, {"content-length": str(size)})
            body: Iterator[bytes] = iter(read_chunks(spool))  # type: ignore[arg-type]
            response = self._client.put(url, content=body, headers=headers)
        _raise_for(response, key)
        return StoredFile(key, size)

    def open(self, key: str) -> BinaryIO:
        url, headers = self._request("GET", key, EMPTY_SHA256)
        out = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the caller, who closes it)
        with self._client.stream("GET", url, headers=headers) as response:
            if response.status_code == 404:
                out.close()
                raise KeyError(key)
            if response.status_code >= 400:
                out.close()
                response.read()
                _raise_for(response, key)
            for chunk in response.iter_bytes(CHUNK):
                out.write(chunk)
        out.seek(0)
        return out

    def presigned_url(self, key: str, seconds: int, *, file_name: str,
                      content_type: str) -> str | None:
        """A GET link to the file straight from the bucket, valid for `seconds`, that
        answers with `file_name` as an attachment of `content_type`."""
        path = f"/{self._bucket}/{check_key(key)}"
        query = presign(method="GET", host=self._host, path=path, query={
            "response-content-disposition": f'attachment; filename="{file_name}"',
            "response-content-type": content_type}, access_key=self._access_key,
            secret_key=self._secret_key, region=self._region, now=datetime.now(UTC),
            expires_seconds=seconds)
        encoded = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}"
                           for k, v in query.items())
        return f"{self._base}{path}?{encoded}"

    def delete(self, key: str) -> None:
        url, headers = self._request("DELETE", key, EMPTY_SHA256)
        response = self._client.delete(url, headers=headers)
        if response.status_code != 404:
            _raise_for(response, key)

    def close(self) -> None:
        self._client.close()


def _raise_for(response: httpx.Response, key: str) -> None:
    if response.status_code >= 300:
        raise OSError(f"object store answered {response.status_code} for {key}")
