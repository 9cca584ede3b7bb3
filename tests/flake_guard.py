"""``make flake-guard``: the timing-sensitive tests, run again and again on a busy machine.

Starts two CPU burners (processes spinning at 100%, so the tests get less CPU than they would
alone, as on a shared CI machine), then runs the real-time events, polling, deadline, ``poll --follow`` and
``listen`` tests ROUNDS times in a row, each round a fresh pytest process. Any failure fails the
guard; the burners are stopped at the end (and stop by themselves after an hour in any case).

    python tests/flake_guard.py [--rounds 20] [--burners 2] [pytest args...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TESTS = [
    "tests/ext/test_events.py",
    "tests/e2e/test_e2e_events.py",
    "tests/local/test_realtime.py",
    "tests/local/test_realtime_events.py",
    "tests/ext/test_polling.py",
    "tests/ext/test_polling_async.py",
    "tests/ext/test_polling_state.py",
    "tests/ext/test_polling_defaults.py",
    "tests/ext/test_waiting.py",
    "tests/ext/test_polling_downloads.py",
    "tests/ext/test_transport_deadline.py",
    "tests/e2e/test_e2e_polling.py",
    "tests/cli/test_poll_command.py",
    "tests/cli/test_listen_command.py",
    "tests/cli/test_signals.py",
]

BURN = "import time\nend = time.monotonic() + 3600\nwhile time.monotonic() < end:\n    pass\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--burners", type=int, default=2)
    args, pytest_args = parser.parse_known_args()
    tests = pytest_args or TESTS
    burners = [
        subprocess.Popen([sys.executable, "-c", BURN], stdin=subprocess.DEVNULL)
        for _ in range(args.burners)
    ]
    failures: list[int] = []
    started = time.monotonic()
    try:
        for n in range(1, args.rounds + 1):
            began = time.monotonic()
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *tests],
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
            )
            summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
            print(f"round {n}/{args.rounds}: {summary} ({time.monotonic() - began:.0f} s)")
            if result.returncode != 0:
                failures.append(n)
                print(result.stdout[-6000:], result.stderr[-3000:], sep="\n", flush=True)
            sys.stdout.flush()
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    minutes = (time.monotonic() - started) / 60
    verdict = f"{args.rounds - len(failures)}/{args.rounds} rounds passed in {minutes:.1f} min"
    print(f"flake guard: {verdict} under {args.burners} CPU burners", end="")
    print(f"; failed rounds: {failures}" if failures else "")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
