"""Every failure is one line on stderr and a non-zero exit code, never a traceback or a secret."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from clihelpers import Run, one_line_error

from apertur_cli._root import cli


@pytest.fixture
def dead_url() -> str:
    """A loopback URL where nothing listens (a port just freed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_bad_key_is_401_without_echoing_it(run: Run) -> None:
    result = run("sessions", "list", extra_env={"APERTUR_API_KEY": "aptr_test_wrong_key"})
    line = one_line_error(result)
    assert "authentication failed (HTTP 401" in line
    assert "aptr_test_wrong_key" not in result.output


def test_missing_key(run: Run) -> None:
    line = one_line_error(run("sessions", "list", extra_env={"APERTUR_API_KEY": ""}))
    assert line == "apertur: error: no API key: pass --api-key or set APERTUR_API_KEY"


def test_server_down(dead_url: str) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "--base-url",
            dead_url,
            "--api-key",
            "aptr_test_x",
            "--timeout",
            "5",
            "--max-retries",
            "0",
            "sessions",
            "list",
        ],
    )
    line = one_line_error(result)
    assert f"cannot reach the Apertur API at {dead_url}" in line
    assert result.exit_code == 1


def test_unknown_session_for_every_session_command(run: Run, tmp_path: Path) -> None:
    image = tmp_path / "x.png"
    from apertur_cli._demo_images import make_png

    image.write_bytes(make_png(8, 8))
    for args in (
        ["status", "nope"],
        ["poll", "nope", "--out", str(tmp_path / "out")],
        ["upload", "nope", str(image)],
        ["sessions", "get", "nope"],
    ):
        assert "HTTP 404" in one_line_error(run(*args)), args


def test_missing_upload_file(run: Run, client, tmp_path: Path) -> None:
    uuid = client.sessions.create().id
    line = one_line_error(run("upload", uuid, str(tmp_path / "missing.jpg")))
    assert line == f"apertur: error: no such file or directory: {tmp_path / 'missing.jpg'}"


def test_json_errors_are_one_json_line(run: Run) -> None:
    result = run("--json", "sessions", "get", "nope")
    error = json.loads(one_line_error(result))["error"]
    assert error["status"] == 404
    assert error["code"] == "NOT_FOUND"
    assert result.stdout == ""


def test_unknown_command_and_option(run: Run) -> None:
    assert one_line_error(run("frobnicate")).startswith("apertur: error: No such command")
    assert run("frobnicate").exit_code == 2
    assert "No such option" in one_line_error(run("status", "--bogus"))


def test_upload_with_bad_key_stops_at_once(run: Run, tmp_path: Path) -> None:
    from apertur_cli._demo_images import make_png

    for n in range(5):
        (tmp_path / f"{n}.png").write_bytes(make_png(8, 8, seed=n))
    result = run("upload", "any-session", str(tmp_path), extra_env={"APERTUR_API_KEY": "aptr_x"})
    assert "HTTP 401" in one_line_error(result)


def test_server_messages_name_the_flag_the_user_typed(run: Run, client, tmp_path: Path) -> None:
    from apertur_cli._demo_images import make_png

    uuid = client.sessions.create(password="s3cr3t").id
    image = tmp_path / "x.png"
    image.write_bytes(make_png(4, 4, seed=1))
    line = one_line_error(run("upload", uuid, str(image)))
    assert "send --password" in line
    assert "x-session-password" not in line


def test_wire_names_in_any_message_become_flags(run: Run, apertur_local) -> None:
    import httpx

    rule = {
        "path": "/api/v1/upload-sessions$",
        "action": "status",
        "status": 400,
        "body": {"message": "max_images must be at most 10 (maxImages); destination_ids unknown"},
    }
    httpx.post(apertur_local.url + "/_local/faults", json=rule, trust_env=False)
    line = one_line_error(run("sessions", "create", "--max-images", "99", "--destination", "d"))
    assert "--max-images must be at most 10 (--max-images); --destination unknown" in line


def test_sdk_input_errors_name_the_flag_too(run: Run, client) -> None:
    uuid = client.sessions.create().id
    line = one_line_error(run("sessions", "update", uuid, "--expires-at", "soon"))
    assert line.startswith("apertur: error: --expires-at must be")


def test_missing_cli_extra_is_one_line_exit_2() -> None:
    import subprocess
    import sys

    for module in ("click", "rich", "segno"):
        code = (
            f"import sys; sys.modules[{module!r}] = None\n"
            "from apertur_cli._launch import apertur\n"
            "sys.argv = ['apertur', 'sessions', 'list']\n"
            "apertur()\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip().splitlines() == [
            f'apertur: error: this needs the "cli" extra (Python module {module!r} is missing): '
            'pip install "apertur-client[cli]"'
        ]


def test_completion_scripts_for_bash_zsh_fish() -> None:
    for shell, marker in (("bash", "complete -o"), ("zsh", "compdef"), ("fish", "complete ")):
        result = CliRunner().invoke(
            cli, [], prog_name="apertur", env={"_APERTUR_COMPLETE": f"{shell}_source"}
        )
        assert result.exit_code == 0, result.output
        assert marker in result.stdout
        assert "_APERTUR_COMPLETE" in result.stdout


def test_completion_completes_commands_and_options() -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_APERTUR_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        result = CliRunner().invoke(cli, [], prog_name="apertur", env=env)
        return [line.split(",", 1)[1] for line in result.stdout.splitlines()]

    assert "destinations" in complete("apertur dest")
    assert "set-destinations" in complete("apertur keys ")
    assert "--long-poll-hold" in complete("apertur local serve --long")


def test_ctrl_c_while_loading_is_one_line_exit_130() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'click':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from apertur_cli._launch import apertur\n"
        "sys.argv = ['apertur', 'sessions', 'list']\n"
        "apertur()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines() == ["apertur: error: interrupted"]
