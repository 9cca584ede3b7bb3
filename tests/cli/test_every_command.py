"""Every ``apertur`` command, found by walking the click tree, run with ``--json`` and ``-q``.

``--json`` output has one casing everywhere (the SDK's snake_case names); ``-q`` prints only ids,
one per line. A command added later without an entry in ``INVOCATIONS`` fails
``test_every_command_has_an_invocation``, so none escapes these checks.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import click
import pytest
from clihelpers import Run

from apertur_cli._demo_images import make_png
from apertur_cli._root import cli
from apertur_ext import Apertur, sign_webhook
from apertur_local import LocalApertur

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
DATA_MAPS = {"config", "metadata", "custom_headers"}
"""Keys whose value is a free-form map of user data (its keys are not field names)."""


def leaf_commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> Iterator[str]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*path, name))
        else:
            yield " ".join((*path, name))


@attrs.define
class World:
    """What the invocations refer to: a session with a queued image, project objects, files."""

    client: Apertur
    project: str
    folder: Path
    session: str = ""
    spare_session: str = ""
    destination: str = ""
    spare_destination: str = ""
    key: str = ""
    spare_key: str = ""
    webhook: str = ""
    spare_webhook: str = ""
    delivery: str = ""

    def image(self) -> Path:
        path = self.folder / "photo.png"
        if not path.exists():
            path.write_bytes(make_png(8, 8, seed=1))
        return path

    def body(self) -> Path:
        path = self.folder / "body.json"
        path.write_bytes(b'{"event":"test"}')
        return path


Invocation = Callable[[World], list[str]]

INVOCATIONS: dict[str, Invocation] = {
    "sessions create": lambda w: ["--long-polling", "--tag", "a,b", "--no-qr"],
    "sessions get": lambda w: [w.session],
    "sessions update": lambda w: [w.session, "--max-images", "50"],
    "sessions list": lambda w: ["--page-size", "5"],
    "sessions qr": lambda w: [w.session, "--out", str(w.folder / "qr.png")],
    "upload": lambda w: [w.spare_session, str(w.image())],
    "poll": lambda w: [w.session, "--out", str(w.folder / "received")],
    "status": lambda w: [w.session],
    "destinations list": lambda w: [],
    "destinations create": lambda w: ["--type", "s3", "--name", "B", "--config", "bucket=b"],
    "destinations update": lambda w: [w.destination, "--name", "Renamed", "--inactive"],
    "destinations delete": lambda w: [w.spare_destination],
    "destinations test": lambda w: [w.destination],
    "keys list": lambda w: [],
    "keys create": lambda w: ["--label", "ci key", "--max-images", "5"],
    "keys update": lambda w: [w.key, "--label", "renamed", "--allowed-ip", "127.0.0.1"],
    "keys delete": lambda w: [w.spare_key],
    "keys set-destinations": lambda w: [w.key, w.destination, "--long-polling"],
    "webhooks list": lambda w: [],
    "webhooks create": lambda w: ["--url", "http://127.0.0.1:9/h", "--topic", "image.*"],
    "webhooks update": lambda w: [w.webhook, "--topic", "session.completed", "--retries", "1"],
    "webhooks delete": lambda w: [w.spare_webhook],
    "webhooks test": lambda w: [w.webhook],
    "webhooks deliveries": lambda w: [w.webhook, "--limit", "5"],
    "webhooks retry": lambda w: [w.webhook, w.delivery],
    "webhooks verify": lambda w: [
        "--secret",
        "s3cret",
        "--body",
        str(w.body()),
        "--signature",
        sign_webhook(b'{"event":"test"}', "s3cret"),
    ],
    "listen": lambda w: [w.spare_session],  # run as a process, see below
    "local serve": lambda w: ["--port", "0"],  # run as a process, see below
}

SERVES = {"listen", "local serve"}
"""Commands that run until stopped: started as a process, stopped with SIGTERM."""


@pytest.fixture
def world(
    client: Apertur, apertur_local: LocalApertur, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> World:
    project = apertur_local.project_id
    monkeypatch.setenv("APERTUR_PROJECT_ID", project)
    w = World(client, project, tmp_path)
    w.session = client.sessions.create(long_polling=True, tags=["t"]).id
    client.upload.image(w.session, make_png(4, 4, seed=2), filename="queued.png")
    w.spare_session = client.sessions.create().id
    make_destination = client.destinations.create
    w.destination = make_destination(project, type="s3", name="A", config={"bucket": "a"}).id
    w.spare_destination = make_destination(project, type="s3", name="Z").id
    w.key = client.keys.create(project, label="k").key.id
    w.spare_key = client.keys.create(project, label="z").key.id
    hook = client.webhooks.create(project, url="http://127.0.0.1:9/h", topics=["image.*"])
    w.webhook = hook.id
    w.spare_webhook = client.webhooks.create(project, url="http://127.0.0.1:9/z", topics=["x"]).id
    client.webhooks.test(project, w.webhook)
    w.delivery = client.webhooks.deliveries(project, w.webhook).deliveries[0].id
    return w


def snake_case_problems(value: Any, where: str = "$") -> list[str]:
    """Every key of ``value`` (recursively) that is not snake_case, with its path."""
    problems = []
    if isinstance(value, dict):
        for key, item in value.items():
            if not SNAKE.match(key):
                problems.append(f"{where}.{key}")
            if key not in DATA_MAPS:
                problems += snake_case_problems(item, f"{where}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            problems += snake_case_problems(item, f"{where}[{number}]")
    return problems


def first_line_of_server(
    command: str, args: list[str], flag: str, env: dict[str, str], world: World
) -> str:
    process = subprocess.Popen(
        [sys.executable, "-m", "apertur_cli", *command.split(), *args, flag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
    )
    try:
        if command == "listen":  # it prints events: make one once it is listening
            for note in process.stderr:  # type: ignore[union-attr]
                if note.startswith("Listening"):
                    break
            world.client.upload.image(world.spare_session, world.image())
        return process.stdout.readline()  # type: ignore[union-attr]
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
        assert process.returncode == 0, err


def output_of(run: Run, world: World, command: str, flag: str, env: dict[str, str]) -> str:
    args = INVOCATIONS[command](world)
    if command in SERVES:
        return first_line_of_server(command, args, flag, env, world)
    result = run(*command.split(), *args, flag)
    assert result.exit_code in (0, 1), (command, result.output)  # 1: e.g. a failed test send
    assert "Traceback" not in result.output
    return result.stdout


def test_every_command_has_an_invocation() -> None:
    commands = set(leaf_commands())
    assert commands - INVOCATIONS.keys() == set(), "add the new command(s) to INVOCATIONS"
    assert INVOCATIONS.keys() - commands == set(), "remove INVOCATIONS of removed commands"


def test_every_json_output_is_snake_case(run: Run, world: World, env: dict[str, str]) -> None:
    seen = 0
    for command in leaf_commands():
        output = output_of(run, world, command, "--json", env)
        lines = output.splitlines()
        assert lines, f"{command} --json printed nothing"
        for line in lines:
            value = json.loads(line)
            assert snake_case_problems(value) == [], (command, line)
            seen += 1
    assert seen >= len(INVOCATIONS)


def test_every_quiet_output_is_ids_only(run: Run, world: World, env: dict[str, str]) -> None:
    for command in leaf_commands():
        output = output_of(run, world, command, "-q", env)
        for line in output.splitlines():
            assert re.fullmatch(r"\S+", line), (command, output)


def test_json_error_is_snake_case(run: Run) -> None:
    result = run("--json", "sessions", "get", "no-such-session")
    assert result.exit_code == 1
    error = json.loads(result.stderr)
    assert snake_case_problems(error) == []
    assert error["error"]["status"] == 404


def test_json_and_quiet_cannot_be_combined(run: Run) -> None:
    result = run("--json", "sessions", "list", "-q")
    assert result.exit_code == 2
    assert "--json and --quiet cannot be combined" in result.stderr
