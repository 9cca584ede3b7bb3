"""``apertur local serve``: a click command made from LocalConfig, serving until Ctrl-C/SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import attrs
import click
import httpx
import pytest
from click.testing import CliRunner

from apertur_cli._local_serve import config_options, serve
from apertur_cli._root import cli
from apertur_local.__main__ import parser


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "apertur_cli", "local", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _stop(process: subprocess.Popen[str], sig: signal.Signals) -> str:
    process.send_signal(sig)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    return err


def test_help_is_in_the_house_style() -> None:
    result = CliRunner().invoke(cli, ["local", "serve", "--help"], prog_name="apertur")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: apertur local serve [OPTIONS]")
    for flag in ("--long-poll-hold", "--data-dir", "--json", "--quiet", "--log-level"):
        assert flag in result.stdout


def test_every_flag_of_apertur_local_serve_is_accepted() -> None:
    """The server's own script and the subcommand take the same options."""
    serve_parser = parser()._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    theirs = {opt for action in serve_parser._actions for opt in action.option_strings}
    ours = {opt for param in serve.params for opt in (*param.opts, *param.secondary_opts)}
    assert theirs - {"-h", "--help"} <= ours, sorted(theirs - ours)


def test_a_new_config_field_becomes_an_option() -> None:
    @attrs.frozen(kw_only=True)
    class Config:
        latency: float = 0.0
        """Added to every answer, in seconds."""
        mode: str | None = None
        verbose: bool = False
        intervals: tuple[int, ...] = (1, 2)
        clock: object = None  # not a command-line value: left out

    @click.command()
    def command(**fields: object) -> None:
        click.echo(json.dumps(attrs.asdict(Config(**fields))))  # type: ignore[arg-type]

    for option in reversed(config_options(Config)):
        command = option(command)
    help_text = CliRunner().invoke(command, ["--help"]).stdout
    assert "--latency FLOAT" in help_text
    assert "Added to every answer, in seconds." in help_text
    assert "--clock" not in help_text
    result = CliRunner().invoke(
        command, ["--latency", "0.25", "--mode", "x", "--verbose", "--intervals", "3,4"]
    )
    assert json.loads(result.stdout) == {
        "latency": 0.25,
        "mode": "x",
        "verbose": True,
        "intervals": [3, 4],
        "clock": None,
    }


def test_credentials_follow_their_secret_mark_not_their_repr() -> None:
    """A field marked SECRET "hidden" shows no default; "default-public" shows the published
    one; the mark, not ``repr=False``, decides (a plain field hidden from the repr still shows)."""
    from apertur_local import SECRET

    @attrs.frozen(kw_only=True)
    class Config:
        api_key: str = attrs.field(
            default="pub_key", repr=False, metadata={SECRET: "default-public"}
        )
        token: str = attrs.field(default="tok_default", repr=False, metadata={SECRET: "hidden"})
        note: str = attrs.field(default="plain_default", repr=False)

    @click.command()
    def command(**fields: object) -> None:
        pass

    for option in reversed(config_options(Config)):
        command = option(command)
    help_text = CliRunner().invoke(command, ["--help"], terminal_width=200).stdout
    assert "pub_key" in help_text
    assert "plain_default" in help_text
    assert "tok_default" not in help_text
    serve_help = CliRunner().invoke(cli, ["local", "serve", "--help"], terminal_width=200).stdout
    assert "default: aptr_test_local" in serve_help


def test_serves_then_stops_on_ctrl_c(tmp_path: Path) -> None:
    process = _start("--api-key", "aptr_test_cli", "--data-dir", str(tmp_path))
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("apertur local server listening on http://127.0.0.1:")
        url = line.split("listening on ")[1].split()[0]
        response = httpx.get(
            url + "/api/v1/sessions",
            headers={"Authorization": "Bearer aptr_test_cli"},
            trust_env=False,
        )
        assert response.status_code == 200
    finally:
        err = _stop(process, signal.SIGINT)
    assert "stopped" in err


def test_json_banner_then_sigterm(tmp_path: Path) -> None:
    process = _start("--json", "--project-id", "proj_json", "--data-dir", str(tmp_path))
    try:
        banner = json.loads(process.stdout.readline())  # type: ignore[union-attr]
        assert banner["project_id"] == "proj_json"
        assert banner["api_key"] == "aptr_test_local"
        assert banner["data_dir"] == str(tmp_path)
        assert banner["temporary_data_dir"] is False
        assert httpx.get(banner["url"] + "/_local/health", trust_env=False).json() == {"ok": True}
    finally:
        err = _stop(process, signal.SIGTERM)
    assert err == ""  # nothing but the JSON banner in --json mode


def test_quiet_prints_the_url() -> None:
    process = _start("-q")
    try:
        line = process.stdout.readline().strip()  # type: ignore[union-attr]
        assert line.startswith("http://127.0.0.1:")
    finally:
        _stop(process, signal.SIGINT)


def test_bad_flag_is_one_line() -> None:
    result = CliRunner().invoke(cli, ["local", "serve", "--port", "not-a-port"])
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("apertur: error: Invalid value for '--port': 'not-a-port'")


def test_port_in_use_is_one_line() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["local", "serve", "--port", str(port)])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"apertur: error: cannot listen on 127.0.0.1:{port}:")


@pytest.mark.parametrize("module", ["starlette", "uvicorn"])
def test_missing_local_extra_is_one_line(module: str) -> None:
    """With the `cli` extra but not `local`, the command names the extra (exit code 2)."""
    code = (
        f"import sys; sys.modules[{module!r}] = None\n"
        "from apertur_cli._launch import apertur\n"
        "sys.argv = ['apertur', 'local', 'serve', '--port', '0']\n"
        "apertur()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f'apertur: error: this needs the "local" extra (Python module {module!r} is missing): '
        'pip install "apertur-client[local]"'
    ]


def test_public_url_is_checked_and_shown(tmp_path: Path) -> None:
    bad = CliRunner().invoke(cli, ["local", "serve", "--port", "0", "--public-url", "ftp://x"])
    assert bad.exit_code == 2
    [line] = bad.stderr.strip().splitlines()
    assert line.startswith("apertur: error: Invalid value for '--public-url'")
    process = _start("--json", "--public-url", "http://127.0.0.1:9999/")
    try:
        banner = json.loads(process.stdout.readline())  # type: ignore[union-attr]
        assert banner["public_url"] == "http://127.0.0.1:9999"
    finally:
        _stop(process, signal.SIGTERM)


def test_an_unusable_store_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "state.sqlite3").write_bytes(b"this is not a database" * 100)
    result = CliRunner().invoke(cli, ["local", "serve", "--port", "0", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("apertur: error: ")
    assert (tmp_path / "state.sqlite3").read_bytes().startswith(b"this is not a database")


def test_control_token_from_the_environment(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "APERTUR_LOCAL_CONTROL_TOKEN": "t0ken"}
    process = subprocess.Popen(
        [sys.executable, "-m", "apertur_cli", "local", "serve", "--port", "0", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        banner = json.loads(process.stdout.readline())  # type: ignore[union-attr]
        assert "t0ken" not in json.dumps(banner)  # a secret: never printed
        state = banner["url"] + "/_local/state"
        assert httpx.get(state, trust_env=False).status_code in (401, 403)
        headers = {"X-Apertur-Control-Token": "t0ken"}
        assert httpx.get(state, headers=headers, trust_env=False).status_code == 200
    finally:
        _stop(process, signal.SIGTERM)


def test_durations_take_the_forms_of_apertur_local_serve() -> None:
    from apertur_local import LocalConfig

    @click.command()
    def command(**fields: object) -> None:
        click.echo(json.dumps([fields["latency"], fields["jitter"]]))

    for option in reversed(config_options(LocalConfig)):
        command = option(command)
    for latency, jitter, expected in [("40ms", "5ms", [0.04, 0.005]), ("0.04s", "0", [0.04, 0])]:
        result = CliRunner().invoke(command, ["--latency", latency, "--jitter", jitter])
        assert json.loads(result.stdout) == expected, result.output
    assert "--latency DURATION" in CliRunner().invoke(command, ["--help"]).stdout
    too_long = CliRunner().invoke(command, ["--latency", "40"])
    assert too_long.exit_code == 2
    assert "for milliseconds write '40ms'" in too_long.output


def test_jitter_above_latency_is_one_line() -> None:
    result = CliRunner().invoke(cli, ["local", "serve", "--latency", "5ms", "--jitter", "10ms"])
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("apertur: error: jitter (10ms) must not exceed latency (5ms)")


def test_the_cli_uses_only_apertur_locals_public_names() -> None:
    import re

    private = re.compile(r"apertur_local\._[a-z]")  # a private module (not __main__)
    for path in (Path(__file__).parents[2] / "apertur_cli").glob("*.py"):
        assert private.search(path.read_text()) is None, path.name


def test_a_password_attempt_bound_below_one_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = CliRunner().invoke(cli, ["local", "serve", "--password-attempts", "0"])
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("apertur: error: password attempts must be at least 1, not 0")
    help_text = " ".join(CliRunner().invoke(cli, ["local", "serve", "--help"]).stdout.split())
    assert "--password-attempts INTEGER Wrong passwords a session accepts per minute" in help_text

    with pytest.raises(SystemExit) as refused:
        parser().parse_args(["serve", "--password-attempts", "0"])
    assert refused.value.code == 2
    assert "--password-attempts: must be at least 1, not 0" in capsys.readouterr().err
    assert parser().parse_args(["serve", "--password-attempts", "3"]).password_attempts == 3
