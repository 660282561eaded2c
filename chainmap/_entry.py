"""The `chainmap` command's entry point: kept free of heavy imports, so that Ctrl-C while the
program is still loading ends with a message instead of a traceback."""

from __future__ import annotations

import signal
import sys


def main() -> None:
    try:
        from chainmap.cli import main as run

        run()
    except KeyboardInterrupt:
        from chainmap.interrupts import INTERRUPT_EXIT, interrupted

        sys.stderr.write(f"{interrupted()}\n")
        sys.exit(INTERRUPT_EXIT)
    finally:
        # The work is done or has been reported: a signal while the interpreter shuts down
        # would only print a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
