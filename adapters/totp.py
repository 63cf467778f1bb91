"""TOTP (RFC 6238) through pyotp: 30-second steps, one step either side accepted for drift."""

import pyotp
from pyotp.utils import strings_equal

STEP_SECONDS = 30
DRIFT_STEPS = 1


def new_secret() -> str:
    """A random base32 secret of 160 bits, as authenticator apps expect."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The `otpauth://` URI an authenticator app reads (usually from a QR code)."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(name=account,
                                                                       issuer_name=issuer)


def matching_step(secret: str, code: str, at: float) -> int | None:
    """The time-step whose code `code` is, within the drift allowed around `at`; else None.

    The caller remembers the step so that a code is accepted only once."""
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = totp.timecode(at)
    for step in (current, current - DRIFT_STEPS, current + DRIFT_STEPS):
        if strings_equal(code, totp.generate_otp(step)):
            return step
    return None
