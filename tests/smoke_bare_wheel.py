"""Checks a virtualenv where the wheel is installed WITHOUT extras (run by `make wheel-smoke`).

``make wheel-smoke`` installs the built wheel alone (httpx, attrs, cryptography, sniffio) into
``build/bare-venv`` and runs this file with that venv's ``bin`` folder as argument. The client
must import and work, real-time events included: ``events.subscribe(..., transport="sse")``
receives a session's events from a local server (started here, with this interpreter's
``apertur_local``) with no extra installed. Both console scripts must explain the missing extra
in one line on stderr with exit code 2 and no traceback, whatever arguments they are given.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CASES = [
    ("apertur", [], "cli"),
    ("apertur", ["--help"], "cli"),
    ("apertur", ["sessions", "list", "--json"], "cli"),
    ("apertur", ["local", "serve"], "cli"),
    ("apertur-local", ["serve", "--port", "0"], "local"),
    ("apertur-local", ["--help"], "local"),
]


def check_script(bin_dir: Path, script: str, args: list[str], extra: str) -> None:
    done = subprocess.run(  # noqa: S603 - our own console scripts
        [str(bin_dir / script), *args], capture_output=True, text=True, timeout=60, check=False
    )
    where = f"{script} {' '.join(args)}".strip()
    lines = done.stderr.strip().splitlines()
    problems = []
    if done.returncode != 2:
        problems.append(f"exit code {done.returncode}, expected 2")
    if len(lines) != 1 or "Traceback" in done.stderr:
        problems.append("stderr is not exactly one line")
    if f'pip install "apertur-client[{extra}]"' not in done.stderr:
        problems.append(f"no install hint for the {extra!r} extra")
    if done.stdout:
        problems.append("something was printed on stdout")
    if problems:
        sys.exit(
            f"{where}: {'; '.join(problems)}\nstdout: {done.stdout!r}\nstderr: {done.stderr!r}"
        )
    print(f"ok  {where}  ->  {lines[0]}")


def check_client(bin_dir: Path) -> None:
    """The base install is the client: it imports and signs without any extra."""
    code = (
        "from apertur_ext import Apertur, verify_webhook_signature, sign_webhook\n"
        "body = b'{}'\n"
        "assert verify_webhook_signature(body, sign_webhook(body, 's'), 's')\n"
        "Apertur(api_key='aptr_test_x').close()\n"
    )
    subprocess.run([str(bin_dir / "python"), "-c", code], check=True, timeout=60)  # noqa: S603
    print("ok  the client works without extras")


SSE_CHECK = """
import importlib.util, sys
from apertur_ext import Apertur
assert importlib.util.find_spec("socketio") is None, "python-socketio is installed"
api_key, base_url = sys.argv[1:3]
with Apertur(api_key, base_url=base_url) as client:
    session = client.sessions.create().id
    with client.events.subscribe(session, transport="sse") as events:
        upload = client.upload.image(session, b"GIF89a" + bytes(64), filename="a.gif")
        names = [events.next_event(timeout=30) for _ in range(2)]
assert [(e.name, e.data and e.data.image_id) for e in names] == [
    ("connected", None), ("image:ready", upload.id)
], names
"""


def check_events(bin_dir: Path) -> None:
    """Real-time events over SSE need nothing beyond the base install."""
    from apertur_local import LocalApertur

    with LocalApertur() as server:
        args = [str(bin_dir / "python"), "-c", SSE_CHECK, server.api_key, server.url]
        subprocess.run(args, check=True, timeout=120)  # noqa: S603
    print('ok  events.subscribe(..., transport="sse") works without extras')


def main() -> None:
    bin_dir = Path(sys.argv[1]).resolve()
    check_client(bin_dir)
    check_events(bin_dir)
    for script, args, extra in CASES:
        check_script(bin_dir, script, args, extra)
    print("bare wheel smoke test passed")


if __name__ == "__main__":
    main()
