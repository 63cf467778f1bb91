"""One-time codes (e-mailed codes, backup codes) and the keyed digests they are stored as.

A digest is an HMAC with a key derived from the settings' secret key and bound to the user, so
a database dump alone cannot be searched for six-digit codes.
"""

import hashlib
import hmac
import secrets
from uuid import UUID

EMAIL_CODE_DIGITS = 6
BACKUP_CODE_LENGTH = 10
_BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def new_email_code() -> str:
    return f"{secrets.randbelow(10 ** EMAIL_CODE_DIGITS):0{EMAIL_CODE_DIGITS}d}"


def new_backup_codes(count: int) -> list[str]:
    """`count` different codes like `k7mq2-x9tbw` (about 49 random bits each)."""
    codes: set[str] = set()
    while len(codes) < count:
        raw = "".join(secrets.choice(_BACKUP_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
        codes.add(f"{raw[:5]}-{raw[5:]}")
    return sorted(codes)


def is_email_code(code: str) -> bool:
    return len(code) == EMAIL_CODE_DIGITS and code.isascii() and code.isdigit()


def normalize_backup_code(code: str) -> str:
    """A backup code as typed (any case, with or without the hyphen or spaces), normalized."""
    return "".join(c for c in code.lower() if c not in "- \t")


class CodeDigests:
    def __init__(self, secret_key: str) -> None:
        self._key = hmac.new(secret_key.encode(), b"copydesk/one-time-codes/v1",
                             hashlib.sha256).digest()

    def digest(self, owner_id: UUID, code: str) -> str:
        return hmac.new(self._key, f"{owner_id}:{code}".encode(), hashlib.sha256).hexdigest()

    def backup_digest(self, owner_id: UUID, code: str) -> str:
        return self.digest(owner_id, "backup:" + normalize_backup_code(code))
