"""The file stores: a local folder and an S3-compatible bucket behave the same."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from adapters.files.local import LocalFileStore
from adapters.files.s3 import S3FileStore
from adapters.files.sigv4 import presign, sign
from adapters.files.store import FileStore
from tests.fakes.s3_server import FakeS3, running_fake_s3


@pytest.fixture
def fake_s3() -> Iterator[FakeS3]:
    with running_fake_s3() as s3:
        yield s3


def s3_store(fake: FakeS3, secret_key: str | None = None) -> S3FileStore:
    return S3FileStore(endpoint=fake.url, bucket=fake.bucket, region="eu-west-1",
                       access_key=fake.access_key, secret_key=secret_key or fake.secret_key)


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FileStore]:
    if request.param == "local":
        yield LocalFileStore(tmp_path / "files")
    else:
        with running_fake_s3() as fake:
            yield s3_store(fake)


def test_a_stored_file_reads_back_byte_for_byte(store: FileStore) -> None:
    data = b"Handle,Title\r\n" + bytes(range(256)) * 5000
    stored = store.put("org/source/export.csv", [data[:1000], data[1000:]])
    assert stored.size == len(data)
    with store.open("org/source/export.csv") as f:
        assert f.read() == data


def test_a_deleted_file_is_gone_and_deleting_twice_is_fine(store: FileStore) -> None:
    store.put("org/a.csv", [b"x"])
    store.delete("org/a.csv")
    store.delete("org/a.csv")
    with pytest.raises(KeyError):
        store.open("org/a.csv")


def test_keys_that_climb_out_are_refused(store: FileStore) -> None:
    for key in ("../etc/passwd", "org/../../x", "/abs", ""):
        with pytest.raises(ValueError):
            store.put(key, [b"x"])


def test_a_wrong_secret_is_refused_by_the_bucket(fake_s3: FakeS3) -> None:
    with pytest.raises(OSError, match="403"):
        s3_store(fake_s3, secret_key="wrong").put("org/a.csv", [b"x"])
    assert fake_s3.refused == 1 and fake_s3.objects == {}


def test_local_store_never_shows_half_a_file(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)

    def failing() -> Iterator[bytes]:
        yield b"part"
        raise RuntimeError("connection dropped")

    with pytest.raises(RuntimeError):
        store.put("org/a.csv", failing())
    with pytest.raises(KeyError):
        store.open("org/a.csv")
    assert [p.name for p in (tmp_path / "org").iterdir()] == []


def test_signature_matches_the_published_s3_example() -> None:
    # AWS's documented "GET Object" example for Signature Version 4
    headers = sign(
        method="GET", host="examplebucket.s3.amazonaws.com", path="/test.txt", query={},
        headers={"Range": "bytes=0-9"},
        payload_hash="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        access_key="AKIAIOSFODNN7EXAMPLE", secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region="us-east-1", now=datetime(2013, 5, 24, tzinfo=UTC),
    )
    assert headers["Authorization"].endswith(
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    assert "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date" in headers["Authorization"]


def test_a_presigned_link_matches_the_published_s3_example() -> None:
    # AWS's documented presigned "GET Object" example (query-string authentication)
    query = presign(
        method="GET", host="examplebucket.s3.amazonaws.com", path="/test.txt", query={},
        access_key="AKIAIOSFODNN7EXAMPLE", secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region="us-east-1", now=datetime(2013, 5, 24, tzinfo=UTC), expires_seconds=86400)
    assert query["X-Amz-Signature"] == (
        "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    assert query["X-Amz-Credential"] == "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"


def test_a_presigned_link_serves_the_file_as_an_attachment_until_tampered(
    fake_s3: FakeS3,
) -> None:
    store = s3_store(fake_s3)
    store.put("org/exports/page.html", [b"<html></html>"])
    url = store.presigned_url("org/exports/page.html", 60, file_name="page.html",
                              content_type="text/html")
    assert url is not None and "X-Amz-Signature=" in url
    served = httpx.get(url, timeout=10)
    assert served.status_code == 200 and served.content == b"<html></html>"
    assert served.headers["content-disposition"] == 'attachment; filename="page.html"'
    assert served.headers["content-type"] == "text/html"
    for forged in (url.replace("page.html?", "other.html?"), url.replace("X-Amz-Expires=60",
                                                                         "X-Amz-Expires=999"),
                   url[:-4] + "0000"):
        assert httpx.get(forged, timeout=10).status_code == 403, forged
    assert LocalFileStore(Path("unused")).presigned_url(
        "org/x", 60, file_name="x", content_type="text/plain") is None


def test_reading_an_open_file_streams(store: FileStore) -> None:
    store.put("org/big.csv", (b"row\n" * 1000 for _ in range(100)))
    with store.open("org/big.csv") as f:
        assert isinstance(f.read(4), bytes)
        f.seek(0)
        assert sum(1 for _ in f) == 100_000
