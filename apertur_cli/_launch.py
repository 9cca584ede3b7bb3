"""The console scripts ``apertur`` and ``apertur-local``: a missing extra is one line, not a traceback.

This module imports only the standard library, so it loads on a base install. Each script imports
its real entry point; when that import fails because an optional dependency is absent, the user
reads which extra to install (``pip install "apertur-client[cli]"``) and the exit code is 2.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

__all__ = ["EXTRA_OF_MODULE", "apertur", "apertur_local", "missing_extra"]

EXTRA_OF_MODULE = {
    "click": "cli",
    "rich": "cli",
    "segno": "cli",
    "starlette": "local",
    "uvicorn": "local",
    "multipart": "local",
    "python_multipart": "local",
    "socketio": "local",
    "engineio": "local",
}
"""Top-level module → the extra of ``apertur-client`` that installs it."""

EXIT_MISSING_EXTRA = 2
EXIT_INTERRUPTED = 130


def missing_extra(exc: BaseException) -> str | None:
    """The one-line explanation of an import error caused by a missing extra, else None."""
    if not isinstance(exc, ModuleNotFoundError) or not exc.name:
        return None
    top = exc.name.split(".", 1)[0]
    extra = EXTRA_OF_MODULE.get(top)
    if extra is None:
        return None
    return (
        f'this needs the "{extra}" extra (Python module {top!r} is missing): '
        f'pip install "apertur-client[{extra}]"'
    )


def _run(prog: str, load: Callable[[], Callable[[], object]]) -> None:
    try:
        main = load()
    except ModuleNotFoundError as exc:
        message = missing_extra(exc)
        if message is None:
            raise
        print(f"{prog}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_MISSING_EXTRA)
    except KeyboardInterrupt:  # Ctrl-C while the command is still loading
        print(f"{prog}: error: interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    result = main()
    sys.exit(result if isinstance(result, int) else 0)


def _apertur_main() -> Callable[[], object]:
    cli = importlib.import_module("apertur_cli._root").cli
    return lambda: cli.main(prog_name="apertur")


def apertur() -> None:
    """Entry point of the ``apertur`` console script (needs the ``cli`` extra)."""
    _run("apertur", _apertur_main)


def apertur_local() -> None:
    """Entry point of the ``apertur-local`` console script (needs the ``local`` extra)."""
    _run("apertur-local", lambda: importlib.import_module("apertur_local.__main__").main)
