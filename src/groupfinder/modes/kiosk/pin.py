"""The kiosk's exit PIN: checked, hashed with scrypt and verified in constant time."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from typing import Final

from groupfinder.domain.errors import FieldError
from groupfinder.domain.i18n import N_

# --------------------------------------------------------------------------- the exit PIN

PIN_SCHEME: Final = "scrypt"
#: scrypt cost: 16 MiB of memory and some tens of milliseconds per try.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 16384, 8, 1
SALT_BYTES, HASH_BYTES = 16, 32
PIN_DIGITS: Final = (4, 12)
_PIN = re.compile(r"[0-9]{4,12}")


class PinError(FieldError):
    """A PIN or a stored PIN hash that cannot be used; the message is a translatable template."""


def check_pin(pin: str) -> str:
    """``pin`` when it is 4 to 12 digits (ASCII 0-9); :class:`PinError` otherwise."""
    if not isinstance(pin, str) or not _PIN.fullmatch(pin):
        raise PinError(
            N_("the PIN must be {low} to {high} digits (0-9), nothing else"),
            low=PIN_DIGITS[0],
            high=PIN_DIGITS[1],
        )
    return pin


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


#: The most memory a PIN check may use; a hash needing more could never be verified.
SCRYPT_MAXMEM: Final = 256 * 1024 * 1024


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=SCRYPT_MAXMEM
    )


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of ``pin``: ``scrypt$16384$8$1$<salt base64>$<hash base64>``.

    Raises :class:`PinError` (a ValueError) when the PIN is not 4 to 12 digits.
    """
    check_pin(pin)
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return "$".join(
        (PIN_SCHEME, str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest))
    )


def parse_pin_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    """The parameters, salt and hash of a stored PIN hash; :class:`PinError` when malformed."""
    bad = PinError(
        N_("not a PIN hash; make one with: groupfinder kiosk hash-pin"),
    )
    parts = stored.split("$") if isinstance(stored, str) else []
    if len(parts) != 6 or parts[0] != PIN_SCHEME:
        raise bad
    try:
        n, r, p = (int(part) for part in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        raise bad from None
    # Sane bounds: a stored hash must not make a PIN check take minutes or gigabytes.
    if not (
        1024 <= n <= 2**20
        and n & (n - 1) == 0
        and 1 <= r <= 32
        and 1 <= p <= 16
        and len(salt) >= 8
        and 16 <= len(digest) <= 64
        # What OpenSSL's scrypt accepts: N below 2^(16r), and memory within SCRYPT_MAXMEM
        # (a hash beyond them validates but no PIN could ever match: staff locked in).
        and n < 2 ** (16 * r)
        and 128 * r * (n + p + 2) <= SCRYPT_MAXMEM
    ):
        raise bad
    return n, r, p, salt, digest


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches ``stored`` (from :func:`hash_pin`). Never raises.

    A malformed PIN or hash is simply no match; the comparison is constant-time.
    """
    try:
        check_pin(pin)
        n, r, p, salt, digest = parse_pin_hash(stored)
        candidate = _scrypt(pin, salt, n, r, p, len(digest))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(candidate, digest)
