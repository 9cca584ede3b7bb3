"""How ``apertur listen`` takes Ctrl-C and SIGTERM (``StopSignals``): a signal during a wait
only asks the loop to stop; one during work, or a second one, interrupts."""

from __future__ import annotations

import os
import signal
import time

import pytest

from apertur_cli._signals import StopSignals

BOUND = 10.0  # seconds: the longest a delivered signal may take to reach its handler


def _deliver(signum: int, stop: StopSignals | None = None) -> None:
    """Send ``signum`` to this process and let the main thread run its handler."""
    os.kill(os.getpid(), signum)
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline and not (stop is not None and stop.requested):
        time.sleep(0.001)  # the handler runs between bytecodes; a raise ends the loop


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_waiting_only_asks_to_stop(signum: int) -> None:
    with StopSignals() as stop:
        with stop.waiting():
            _deliver(signum, stop)
        assert stop.requested


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_working_interrupts(signum: int) -> None:
    with StopSignals() as stop, pytest.raises(KeyboardInterrupt):
        _deliver(signum)
    assert not stop.requested


def test_a_second_signal_interrupts_even_a_wait() -> None:
    with StopSignals() as stop:
        with stop.waiting():
            _deliver(signal.SIGTERM, stop)
            with pytest.raises(KeyboardInterrupt):
                _deliver(signal.SIGTERM)
        assert stop.requested


def test_the_previous_handlers_come_back() -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    with StopSignals():
        assert signal.getsignal(signal.SIGTERM) is not before[signal.SIGTERM]
    assert {s: signal.getsignal(s) for s in before} == before
