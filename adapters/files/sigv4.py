"""AWS Signature Version 4 for S3-compatible object stores (AWS, MinIO, R2, …).

Payloads are sent unsigned (`UNSIGNED-PAYLOAD`) so a large file streams without being read twice.
"""

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import quote

UNSIGNED = "UNSIGNED-PAYLOAD"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def signing_key(secret_key: str, day: str, region: str, service: str = "s3") -> bytes:
    key = _hmac(("AWS4" + secret_key).encode(), day)
    key = _hmac(key, region)
    key = _hmac(key, service)
    return _hmac(key, "aws4_request")


def sign(
    *, method: str, host: str, path: str, query: Mapping[str, str], headers: Mapping[str, str],
    payload_hash: str, access_key: str, secret_key: str, region: str, now: datetime,
) -> dict[str, str]:
    """The headers to add (`x-amz-date`, `x-amz-content-sha256`, `Authorization`)."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    day = stamp[:8]
    all_headers = {k.lower(): " ".join(v.split()) for k, v in headers.items()}
    all_headers.update({"host": host, "x-amz-date": stamp, "x-amz-content-sha256": payload_hash})
    names = sorted(all_headers)
    canonical_query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(query.items())
    )
    canonical = "\n".join([
        method, quote(path, safe="/-_.~"), canonical_query,
        "".join(f"{n}:{all_headers[n]}\n" for n in names), ";".join(names), payload_hash,
    ])
    scope = f"{day}/{region}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    signature = hmac.new(signing_key(secret_key, day, region), to_sign.encode(),
                         hashlib.sha256).hexdigest()
    return {
        "x-amz-date": stamp, "x-amz-content-sha256": payload_hash,
        "Authorization": f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
                         f"SignedHeaders={';'.join(names)}, Signature={signature}",
    }
