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


def _canonical_query(query: Mapping[str, str]) -> str:
    return "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}"
                    for k, v in sorted(query.items()))


def _signature(canonical: str, *, secret_key: str, region: str, stamp: str) -> str:
    scope = f"{stamp[:8]}/{region}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    return hmac.new(signing_key(secret_key, stamp[:8], region), to_sign.encode(),
                    hashlib.sha256).hexdigest()


def sign(
    *, method: str, host: str, path: str, query: Mapping[str, str], headers: Mapping[str, str],
    payload_hash: str, access_key: str, secret_key: str, region: str, now: datetime,
) -> dict[str, str]:
    """The headers to add (`x-amz-date`, `x-amz-content-sha256`, `Authorization`)."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    all_headers = {k.lower(): " ".join(v.split()) for k, v in headers.items()}
    all_headers.update({"host": host, "x-amz-date": stamp, "x-amz-content-sha256": payload_hash})
    names = sorted(all_headers)
    canonical = "\n".join([
        method, quote(path, safe="/-_.~"), _canonical_query(query),
        "".join(f"{n}:{all_headers[n]}\n" for n in names), ";".join(names), payload_hash,
    ])
    signature = _signature(canonical, secret_key=secret_key, region=region, stamp=stamp)
    return {
        "x-amz-date": stamp, "x-amz-content-sha256": payload_hash,
        "Authorization": f"AWS4-HMAC-SHA256 Credential={access_key}/{stamp[:8]}/{region}/s3/"
                         f"aws4_request, SignedHeaders={';'.join(names)}, Signature={signature}",
    }


def presign(
    *, method: str, host: str, path: str, query: Mapping[str, str], access_key: str,
    secret_key: str, region: str, now: datetime, expires_seconds: int,
) -> dict[str, str]:
    """The query of a presigned URL: `query` and the `X-Amz-*` parameters, the signature
    last (only the host header is signed; the payload is not)."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    params = {**query, "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
              "X-Amz-Credential": f"{access_key}/{stamp[:8]}/{region}/s3/aws4_request",
              "X-Amz-Date": stamp, "X-Amz-Expires": str(expires_seconds),
              "X-Amz-SignedHeaders": "host"}
    canonical = "\n".join([method, quote(path, safe="/-_.~"), _canonical_query(params),
                           f"host:{host}\n", "host", UNSIGNED])
    return {**params, "X-Amz-Signature": _signature(canonical, secret_key=secret_key,
                                                    region=region, stamp=stamp)}
