"""Encryption of secrets kept at rest (BYOK keys, TOTP secrets, store tokens).

A Fernet key is derived from the settings' secret key, so a database dump alone does not reveal
them. Events never carry the plaintext or the ciphertext: only a reference and a fingerprint.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken


class SecretBox:
    def __init__(self, secret_key: str) -> None:
        if not secret_key:
            raise ValueError("a secret key is needed to encrypt secrets")
        derived = hmac.new(secret_key.encode(), b"copydesk/secret-box/v1", hashlib.sha256).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))
        self._fingerprint_key = hmac.new(secret_key.encode(), b"copydesk/fingerprint/v1",
                                         hashlib.sha256).digest()

    def seal(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode())

    def open(self, ciphertext: bytes) -> str:
        try:
            return self._fernet.decrypt(ciphertext).decode()
        except InvalidToken as exc:
            raise ValueError("secret cannot be decrypted with this key") from exc

    def fingerprint(self, plaintext: str) -> str:
        """A short keyed digest: tells two secrets apart without revealing either."""
        return hmac.new(self._fingerprint_key, plaintext.encode(), hashlib.sha256).hexdigest()[:16]


def hint(secret: str) -> str:
    """What a user may see of a stored key: its last four characters."""
    return "…" + secret[-4:] if len(secret) > 8 else "…"
