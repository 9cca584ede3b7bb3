"""The test run's own settings do what they claim.

- ``slow`` tests are left out of the default run, and ``pytest -m slow`` runs them;
- an exception raised in a destructor (``__del__``, an unclosed file or socket found by the
  garbage collector) fails the run instead of being ignored.
- Ctrl-C works in the run (and in the processes it starts) even when pytest starts with SIGINT
  ignored.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pytest(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _collected(*args: str) -> list[str]:
    run = _pytest("--collect-only", "-q", *args)
    return [line for line in run.stdout.splitlines() if "::" in line]


def test_slow_tests_are_left_out_of_the_default_run() -> None:
    streaming = "tests/local/test_streaming.py"
    default = _collected(streaming)
    assert default, "the default run collected nothing from test_streaming.py"
    assert all("1GiB" not in test for test in default)
    slow = _collected("-m", "slow", streaming)
    assert slow
    assert all("1GiB" in test for test in slow)


def test_an_exception_in_a_destructor_fails_the_run(tmp_path: Path) -> None:
    (tmp_path / "test_destructor.py").write_text(
        textwrap.dedent(
            """
            import gc

            class Broken:
                def __del__(self):
                    raise RuntimeError("raised in a destructor")

            def test_drops_a_broken_object():
                Broken()
                gc.collect()
            """
        )
    )
    run = _pytest(
        "-q", "-p", "no:randomly", "--rootdir", str(tmp_path), str(tmp_path), cwd=tmp_path
    )
    assert run.returncode == 1, run.stdout
    assert "raised in a destructor" in run.stdout


def test_ctrl_c_works_even_when_pytest_starts_with_it_ignored(tmp_path: Path) -> None:
    """Started in the background from a script, pytest inherits SIGINT ignored: the run still
    handles Ctrl-C in the main thread, and the processes it starts get the default handling."""
    (tmp_path / "test_ctrl_c.py").write_text(
        textwrap.dedent(
            """
            import _thread, subprocess, sys, time

            import pytest

            def test_the_main_thread_can_be_interrupted():
                with pytest.raises(KeyboardInterrupt):
                    _thread.interrupt_main()
                    time.sleep(5)

            def test_children_handle_ctrl_c():
                code = "import signal; print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)"
                run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
                assert run.stdout.strip() == "False"
            """
        )
    )
    pytest_command = [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml")]
    pytest_command += ["-q", "-p", "no:randomly", "-p", "tests.conftest", str(tmp_path)]
    run = subprocess.run(
        ["sh", "-c", 'trap "" INT; exec "$@"', "sh", *pytest_command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
