"""Named pause points for the fault tests: a process told to stop at one waits there to be killed.

``fault_point("auctions/close/settled")`` does nothing unless the environment variable
``TECHBRIDGE_FAULT_PAUSE`` names that point (``name`` or ``name:N`` for its N-th passage in this
process). Then it writes the point's name to the file ``TECHBRIDGE_FAULT_SIGNAL`` and sleeps, so a test
can SIGKILL the process exactly there (``techbridge.testing.faults``). Production never sets the
variable; the check is one dictionary look-up.
"""

from __future__ import annotations

import os
import time

PAUSE_ENV = "TECHBRIDGE_FAULT_PAUSE"
SIGNAL_ENV = "TECHBRIDGE_FAULT_SIGNAL"
# A paused process nobody kills gives up after this long (a test that failed must not leave it behind).
PAUSE_SECONDS = 120.0

_passed: dict[str, int] = {}


def fault_point(name: str) -> None:
    """Pause here for good if the fault tests asked for this point (see the module docstring)."""
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted:
        return
    point, _sep, nth = wanted.partition(":")
    if point != name:
        return
    _passed[name] = _passed.get(name, 0) + 1
    if _passed[name] != (int(nth) if nth.isdecimal() else 1):
        return
    signal_file = os.environ.get(SIGNAL_ENV)
    if signal_file:
        with open(signal_file, "w", encoding="utf-8") as fh:
            fh.write(f"{name} {os.getpid()}\n")
    time.sleep(PAUSE_SECONDS)
    os._exit(99)  # never carry on past a point meant to be killed at
