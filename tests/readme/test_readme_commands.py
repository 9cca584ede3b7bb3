"""Every `apertur …` command line shown in README.md parses against the real CLI: the command
path exists and every option it uses is one the command accepts (placeholders in capitals,
such as SESSION, stand for values)."""

from __future__ import annotations

import contextlib
import re
import shlex
from pathlib import Path

import click
import pytest

from apertur_cli._root import cli

ROOT = Path(__file__).resolve().parents[2]
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)


def readme_exports() -> dict[str, str]:
    """The variables the README's shell examples export (``export A=1 B=2``)."""
    found = {}
    for block in SH_BLOCK.findall((ROOT / "README.md").read_text()):
        for line in block.splitlines():
            if line.startswith("export "):
                for item in shlex.split(line.split("  #", 1)[0])[1:]:
                    name, _, value = item.partition("=")
                    found[name] = value
    return found


def readme_command_lines() -> list[str]:
    lines = []
    for block in SH_BLOCK.findall((ROOT / "README.md").read_text()):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("apertur "):
                lines.append(line)
    return lines


def test_readme_shows_commands() -> None:
    assert len(readme_command_lines()) >= 5


@pytest.mark.parametrize("line", readme_command_lines())
def test_command_line_parses(line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in readme_exports().items():  # as the reader's shell has them
        monkeypatch.setenv(name, value)
    args = shlex.split(line.replace("…", "x"))[1:]
    for arg in args:  # files the example names exist, as they would for the reader
        if arg.endswith(".json"):
            (tmp_path / arg).write_text("{}")
    command: click.Command = cli
    with contextlib.ExitStack() as contexts:  # closing a context closes the files it opened
        ctx = contexts.enter_context(cli.make_context("apertur", list(args)))
        # Walk down the groups as click would, parsing each level's own options.
        while isinstance(command, click.Group):
            rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
            name, sub, rest = command.resolve_command(ctx, rest)
            assert sub is not None, f"no command {name!r} in {line!r}"
            command = sub
            ctx = contexts.enter_context(sub.make_context(name or "", rest, parent=ctx))


def test_readme_exports_what_the_commands_need() -> None:
    assert {"APERTUR_API_KEY", "APERTUR_BASE_URL", "APERTUR_PROJECT_ID"} <= readme_exports().keys()


def test_readme_wheel_name_matches_the_version() -> None:
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    wheels = re.findall(r"apertur_client-[^\s\[\"]+\.whl", (ROOT / "README.md").read_text())
    assert wheels
    assert set(wheels) == {f"apertur_client-{version}-py3-none-any.whl"}


def readme_local_serve_lines() -> list[str]:
    """`apertur-local serve …` lines of the README (the server's own command)."""
    return [
        line.split("  #", 1)[0].strip()
        for block in SH_BLOCK.findall((ROOT / "README.md").read_text())
        for line in block.splitlines()
        if line.startswith("apertur-local serve")
    ]


@pytest.mark.parametrize("line", readme_local_serve_lines())
def test_local_serve_flags_parse_in_apertur_local(line: str) -> None:
    """Every `apertur-local serve` line's flags exist and their values are valid."""
    from apertur_local.__main__ import parser

    parser().parse_args(shlex.split(line)[1:])


def test_readme_shows_the_latency_flags() -> None:
    assert any("--latency" in line for line in readme_local_serve_lines())
