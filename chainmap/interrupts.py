"""Ctrl-C and SIGTERM during a write: remembered, then acted on at a safe point.

A KeyboardInterrupt raised in the middle of a database call can leave the embedded store's
transaction half torn down (measured: a segmentation fault, 'No active transaction for
ROLLBACK', 'Aborted!' printed after a commit). Inside `deferred_interrupts()` the signal only
sets a flag; the writer calls `check()` between batches, which raises WriteInterrupted so the
transaction rolls back as a whole, and once the block ends a signal that came too late to stop
the commit is reported as such.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from chainmap.errors import ChainmapError

INTERRUPT_EXIT = 130


class Interrupted(ChainmapError):
    """The user stopped the command; `committed` says whether the write had finished."""

    exit_code = INTERRUPT_EXIT

    def __init__(self, committed: bool):
        self.committed = committed
        super().__init__(
            "已中断，但导入已完成（中断前数据已全部写入）"
            if committed
            else "已中断，未写入任何数据（数据库保持中断前的状态）"
        )


_committed_writes = 0


def note_commit() -> None:
    """A write of this process has committed: an interrupt from now on stops nothing."""
    global _committed_writes
    _committed_writes += 1


def interrupted() -> Interrupted:
    """What an interrupt outside a write means: whether this command had already written.
    Further signals are ignored from here on. Once, in the test suite, a process printed this
    message and then died by SIGINT (exit -2, not 130): a second interrupt had arrived while
    the first was reported. Arrow's cancellable reads (CSV) can deliver one Ctrl-C twice (its
    SignalStopHandler re-emits the signal), which is the likely source."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    return Interrupted(committed=_committed_writes > 0)


class Guard:
    def __init__(self) -> None:
        self.fired: int | None = None

    def check(self) -> None:
        if self.fired is not None:
            raise Interrupted(committed=False)


@contextmanager
def deferred_interrupts() -> Iterator[Guard]:
    guard = Guard()
    if threading.current_thread() is not threading.main_thread():
        yield guard  # signals are delivered to the main thread only
        return

    def remember(signum, _frame) -> None:
        guard.fired = signum

    previous = {sig: signal.signal(sig, remember) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield guard
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if guard.fired is not None:
        raise Interrupted(committed=True)
