"""Printing the handout: the document goes to the print command's standard input, so nothing
touches the disk."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from typing import Any

from groupfinder.domain.i18n import N_

# --------------------------------------------------------------------------- printing


class PrintError(Exception):
    """The print command failed; ``message`` is a translatable template."""

    def __init__(self, message: str, **values: Any) -> None:
        self.message = message
        self.values = values
        super().__init__(message.format(**values))


def print_handout(command: Sequence[str], document: str | bytes, timeout: float = 30.0) -> None:
    """Send ``document`` (bytes such as a PDF, or text as UTF-8) to ``command``'s standard
    input; nothing is written to disk. The kiosk's one way to print.

    Raises :class:`PrintError` when the command cannot start, fails or takes too long.
    """
    try:
        result = subprocess.run(
            list(command),
            input=document.encode("utf-8") if isinstance(document, str) else document,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
    except (OSError, ValueError) as exc:
        raise PrintError(
            N_("the print command could not start: {reason}"),
            reason=getattr(exc, "strerror", None) or type(exc).__name__,
        ) from None
    except subprocess.TimeoutExpired:
        raise PrintError(
            N_("the print command took longer than {seconds} seconds"), seconds=int(timeout)
        ) from None
    if result.returncode != 0:
        raise PrintError(
            N_("the print command failed with exit status {code}"), code=result.returncode
        )
