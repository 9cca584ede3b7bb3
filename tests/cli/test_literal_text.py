"""Server and user text is printed literally: no Rich markup, no terminal escapes, bounded length.

A hostile or buggy server controls error messages, names, tags and delivery errors; a user's
file names can hold anything. None of it may crash the output (``[/]`` is a Rich markup error),
recolour or rewrite the terminal (ANSI/OSC escapes), or flood it (a megabyte message).
"""

from __future__ import annotations

import datetime
import json

import httpx
import pytest
from clihelpers import Run, one_line_error
from rich.console import Console

from apertur_api.models import DeliveryStatus
from apertur_cli._demo_images import make_png
from apertur_cli._status import render_status
from apertur_cli._text import MAX_TEXT, clean, literal
from apertur_ext import Apertur
from apertur_local import LocalApertur

HOSTILE = "[/] [bold red]boom[/bold red] \x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x9b2J line\r\nbreak"


def inject(server: LocalApertur, path: str, status: int, message: str, count: int = 1) -> None:
    rule = {
        "path": path,
        "action": "status",
        "status": status,
        "count": count,
        "body": {"message": message, "code": "HOSTILE"},
    }
    httpx.post(server.url + "/_local/faults", json=rule, trust_env=False).raise_for_status()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain", "plain"),
        ("a\x1b[31mred\x1b[0m b", "ared b"),
        ("title\x1b]0;pwned\x07!", "title!"),
        ("link \x1b]8;;http://x\x1b\\text\x1b]8;;\x1b\\", "link text"),
        ("8-bit \x9b2Jcsi", "8-bit csi"),
        ("one\r\ntwo\tthree", "one two three"),
        ("nul\x00 bell\x07 del\x7f", "nul bell del"),
        ("rtl \u202eevil\u202c", "rtl evil"),
        ("[/] [bold]markup[/]", "[/] [bold]markup[/]"),
    ],
)
def test_clean(raw: str, shown: str) -> None:
    assert clean(raw) == shown


def test_clean_caps_length_and_bounds_work() -> None:
    shown = clean("x" * 5_000_000)
    assert len(shown) == MAX_TEXT
    assert shown.endswith("…")


def test_literal_is_never_markup() -> None:
    console = Console(record=True, width=200)
    console.print(literal(HOSTILE))
    text = console.export_text()
    assert "[/] [bold red]boom[/bold red]" in text
    assert "\x1b" not in text


def test_poll_with_a_markup_message_does_not_crash(
    run: Run, client: Apertur, apertur_local: LocalApertur, tmp_path
) -> None:
    uuid = client.sessions.create(long_polling=True).id
    client.upload.image(uuid, make_png(4, 4, seed=1), filename="a.png")
    inject(apertur_local, r"/images/img_[^/]+$", 500, HOSTILE, count=5)
    result = run("--max-retries", "0", "poll", uuid, "--out", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "MarkupError" not in result.output
    assert "[/] [bold red]boom[/bold red] red" in result.stderr  # the message, literally
    assert "\x1b" not in result.output
    assert "\x9b" not in result.output
    assert "0 saved" in result.stdout
    assert "1 failed" in result.stdout


def test_an_error_line_is_one_clean_capped_line(run: Run, apertur_local: LocalApertur) -> None:
    inject(apertur_local, r"/api/v1/sessions$", 400, HOSTILE + "x" * 30_000)  # 60x the cap
    line = one_line_error(run("--max-retries", "0", "sessions", "list"))
    assert line.startswith("apertur: error: [/] [bold red]boom[/bold red] red")
    assert "\x1b" not in line
    assert len(line) < MAX_TEXT + 100


def test_json_error_is_escaped(run: Run, apertur_local: LocalApertur) -> None:
    inject(apertur_local, r"/api/v1/sessions$", 400, HOSTILE)
    result = run("--json", "--max-retries", "0", "sessions", "list")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    assert "\x9b" not in result.stderr
    assert json.loads(result.stderr)["error"]["code"] == "HOSTILE"


def test_json_output_escapes_c1_controls(run: Run, client: Apertur) -> None:
    uuid = client.sessions.create(tags=["tag\x9b2J", "line\u2028sep"]).id
    result = run("--json", "sessions", "get", uuid)
    assert result.exit_code == 0, result.output
    assert "\x9b" not in result.stdout
    assert "\u2028" not in result.stdout
    assert json.loads(result.stdout)["tags"] == ["tag\x9b2J", "line\u2028sep"]  # data intact


def test_tags_and_names_in_tables_are_literal(run: Run, client: Apertur) -> None:
    uuid = client.sessions.create(tags=["[red]x[/]", "[/]"]).id
    result = run("sessions", "get", uuid)
    assert result.exit_code == 0, result.output
    assert "[red]x[/], [/]" in result.stdout


def test_status_table_prints_delivery_errors_literally() -> None:
    snapshot = DeliveryStatus.from_dict(
        {
            "status": "active",
            "lastChanged": datetime.datetime.now(datetime.UTC).isoformat(),
            "files": [
                {
                    "record_id": "rec_1",
                    "filename": "[bold]photo[/].jpg",
                    "size_bytes": 10,
                    "destinations": [
                        {
                            "destination_id": "d1",
                            "name": "\x1b[2Jwipe",
                            "type": "webhook",
                            "status": "failed",
                            "attempts": 3,
                            "last_error": HOSTILE,
                        }
                    ],
                }
            ],
        }
    )
    console = Console(record=True, width=400)
    console.print(render_status("s[/]", snapshot))
    text = console.export_text()
    assert "[bold]photo[/].jpg" in text
    assert "[/] [bold red]boom[/bold red] red" in text
    assert "s[/]" in text
    assert "\x1b" not in text


def test_file_names_with_markup_upload_and_print(run: Run, client: Apertur, tmp_path) -> None:
    uuid = client.sessions.create().id
    weird = tmp_path / "[red]x[bold].png"
    weird.write_bytes(make_png(4, 4, seed=3))
    result = run("upload", uuid, str(weird))
    assert result.exit_code == 0, result.output
    assert "[red]x[bold].png" in result.stderr
