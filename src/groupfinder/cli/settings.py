"""What groupfinder takes from its environment, read once, here at the edge.

:func:`groupfinder.cli.main.main` builds one :class:`Settings` from the environment and the
command line and hands its values down; nothing below the command line reads
``os.environ``. The variables:

==============================  ================================================================
``GROUPFINDER_LANG``            the language of messages and of the app (nl, fr, en); else the
                                locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``); else English
``GROUPFINDER_DATA``            the operator's data folder when ``--data`` is not given
``GROUPFINDER_KIOSK_CONFIG``    the kiosk settings when ``--config`` is not given
``GROUPFINDER_DEBUG``           show the traceback of an unexpected fault
``TEXTUAL_DRIVER``              set by textual-serve: the app draws into a browser
==============================  ================================================================
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from groupfinder.domain.vocabulary import LANGUAGES, Language

LANGUAGE_ENV: Final = "GROUPFINDER_LANG"
DATA_ENV: Final = "GROUPFINDER_DATA"
KIOSK_CONFIG_ENV: Final = "GROUPFINDER_KIOSK_CONFIG"
DEBUG_ENV: Final = "GROUPFINDER_DEBUG"
#: Set in the app's environment by textual-serve: the app draws into a browser, not a tty.
DRIVER_ENV: Final = "TEXTUAL_DRIVER"
WEB_DRIVER: Final = "textual.drivers.web_driver:WebDriver"
DEFAULT_KIOSK_CONFIG: Final = Path("kiosk.toml")
_LOCALE_ENV: Final = (LANGUAGE_ENV, "LC_ALL", "LC_MESSAGES", "LANG")


@dataclass(frozen=True)
class Settings:
    """The environment and the command line, resolved once. (Every value is made here from
    a string, so a plain dataclass does: the app's first frame needs no pydantic.)"""

    #: The language of messages (and the app's first language).
    language: Language = "en"
    #: The operator's data folder (``--data``, else ``$GROUPFINDER_DATA``); None: shipped data.
    data_dir: Path | None = None
    #: The kiosk settings file (``--config``, else ``$GROUPFINDER_KIOSK_CONFIG``, else
    #: ./kiosk.toml); only used with ``--kiosk``.
    kiosk_config: Path = DEFAULT_KIOSK_CONFIG
    #: Whether the app runs under textual-serve (its screen is a browser, not a tty).
    served: bool = False
    #: Whether an unexpected fault shows its traceback.
    debug: bool = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        """What the environment alone says (the command line is not parsed yet)."""
        return cls(
            language=_language(environ),
            data_dir=Path(environ[DATA_ENV]) if environ.get(DATA_ENV) else None,
            kiosk_config=(
                Path(environ[KIOSK_CONFIG_ENV])
                if environ.get(KIOSK_CONFIG_ENV)
                else DEFAULT_KIOSK_CONFIG
            ),
            served=environ.get(DRIVER_ENV) == WEB_DRIVER,
            debug=bool(environ.get(DEBUG_ENV)),
        )

    def with_arguments(self, args: argparse.Namespace) -> Settings:
        """The command line wins over the environment."""
        changes: dict[str, Any] = {}
        if getattr(args, "data", None) is not None:
            changes["data_dir"] = Path(args.data)
        if getattr(args, "config", None) is not None:
            changes["kiosk_config"] = Path(args.config)
        return dataclasses.replace(self, **changes)


def _language(environ: Mapping[str, str]) -> Language:
    for name in _LOCALE_ENV:
        code = environ.get(name, "")[:2].lower()
        if code in LANGUAGES:
            return code
    return "en"
