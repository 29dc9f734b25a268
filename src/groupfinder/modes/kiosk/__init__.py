"""Kiosk mode without the UI: the settings (``config``), the exit PIN (``pin``), printing
the handout (``printing``) and the supervisor that restarts the app after a crash
(``supervisor``). The take-home QR code is presentation: :mod:`groupfinder.present.qr`.
"""

from __future__ import annotations

from groupfinder.modes.kiosk.config import (
    KioskConfig,
    KioskConfigError,
    load_kiosk_config,
)
from groupfinder.modes.kiosk.pin import PinError, check_pin, hash_pin, parse_pin_hash, verify_pin
from groupfinder.modes.kiosk.printing import PrintError, print_handout
from groupfinder.modes.kiosk.supervisor import (
    EXIT_AUTHORISED,
    EXIT_BAD_INPUT,
    describe_exit,
    run_child,
    supervise,
)

__all__ = [
    "EXIT_AUTHORISED",
    "EXIT_BAD_INPUT",
    "KioskConfig",
    "KioskConfigError",
    "PinError",
    "PrintError",
    "check_pin",
    "describe_exit",
    "hash_pin",
    "load_kiosk_config",
    "parse_pin_hash",
    "print_handout",
    "run_child",
    "supervise",
    "verify_pin",
]
