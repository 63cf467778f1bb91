"""Links copydesk signs itself: a path, an expiry time and an HMAC of both.

The key is derived from the settings' secret key for one purpose, so a signature made for one
kind of link is worth nothing for another.
"""

import hashlib
import hmac
import time


def _key(secret_key: str, purpose: str) -> bytes:
    return hmac.new(secret_key.encode(), f"signed-link:{purpose}".encode(), hashlib.sha256).digest()


def sign(secret_key: str, purpose: str, path: str, expires: int) -> str:
    message = f"{path}\n{expires}".encode()
    return hmac.new(_key(secret_key, purpose), message, hashlib.sha256).hexdigest()


def signed_query(secret_key: str, purpose: str, path: str, seconds: int,
                 now: float | None = None) -> tuple[str, int]:
    """`expires=…&signature=…` for `path`, valid for `seconds`, and the expiry time."""
    expires = int(now if now is not None else time.time()) + seconds
    return f"expires={expires}&signature={sign(secret_key, purpose, path, expires)}", expires


def is_valid(secret_key: str, purpose: str, path: str, expires: int, signature: str,
             now: float | None = None) -> bool:
    """Whether `signature` is this path's and expiry's, and the expiry not past."""
    if expires < (now if now is not None else time.time()):
        return False
    # compare bytes: compare_digest refuses a str that is not ASCII (a 500 for a forged link)
    return hmac.compare_digest(sign(secret_key, purpose, path, expires).encode(),
                               signature.encode("utf-8", "surrogatepass"))
