"""A counselor's client reference: a code made for the intake, never a name."""

from __future__ import annotations

import secrets

#: Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_client_ref() -> str:
    """A fresh client reference such as ``C-7F3K2Q``: a code, never a name."""
    return "C-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
