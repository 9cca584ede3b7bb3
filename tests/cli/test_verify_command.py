"""``apertur webhooks verify`` against the shared §5 known-answer vectors (no server needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from apertur_cli._root import cli

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "webhooks.json").read_text())


@pytest.fixture
def body_file(tmp_path: Path):
    def write(text: str) -> Path:
        path = tmp_path / "body.bin"
        path.write_bytes(text.encode())
        return path

    return write


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.mark.parametrize("vector", VECTORS["image"], ids=lambda v: v["name"])
def test_image_vectors_valid(vector, body_file) -> None:
    body = body_file(vector["body"])
    result = run(
        "webhooks",
        "verify",
        "--secret",
        vector["secret"],
        "--body",
        str(body),
        "--signature",
        vector["signature"],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "valid (image)\n"


def test_hmac_vector_valid_without_age_check(body_file) -> None:
    v = VECTORS["hmac_sha256"][0]
    body = body_file(v["body"])
    args = [
        "webhooks",
        "verify",
        "--secret",
        v["secret"],
        "--body",
        str(body),
        "--signature",
        v["signature"],
        "--timestamp",
        v["timestamp"],
    ]
    too_old = run(*args)
    assert too_old.exit_code == 1
    assert too_old.stdout == "invalid (hmac_sha256): timestamp too old\n"
    assert run(*args, "--no-tolerance").exit_code == 0


@pytest.mark.parametrize("vector", VECTORS["svix"], ids=lambda v: v["name"])
def test_svix_vectors_json(vector, body_file) -> None:
    body = body_file(vector["body"])
    result = run(
        "--json",
        "webhooks",
        "verify",
        "--body",
        str(body),
        "--signature",
        vector["signature"],
        "--timestamp",
        vector["timestamp"],
        "--svix-id",
        vector["msg_id"],
        "--no-tolerance",
        env={"APERTUR_WEBHOOK_SECRET": vector["secret_hex"]},
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"valid": True, "method": "svix", "reason": None}


def test_tampered_body_is_invalid_and_secret_never_printed(body_file) -> None:
    v = VECTORS["image"][0]
    body = body_file(v["body"] + " ")
    result = run(
        "webhooks",
        "verify",
        "--secret",
        v["secret"],
        "--body",
        str(body),
        "--signature",
        v["signature"],
        "--json",
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "valid": False,
        "method": "image",
        "reason": "no_matching_signature",
    }
    assert v["secret"] not in result.output


def test_missing_signature_is_reported(body_file) -> None:
    result = run("webhooks", "verify", "--secret", "s", "--body", str(body_file("{}")))
    assert result.exit_code == 1
    assert result.stdout == "invalid (image): missing header\n"


def test_body_from_stdin() -> None:
    v = VECTORS["image"][0]
    result = CliRunner().invoke(
        cli,
        [
            "webhooks",
            "verify",
            "--secret",
            v["secret"],
            "--body",
            "-",
            "--signature",
            v["signature"],
        ],
        input=v["body"],
    )
    assert result.exit_code == 0


def test_unusable_svix_secret_is_one_line_error(body_file) -> None:
    result = run(
        "webhooks",
        "verify",
        "--method",
        "svix",
        "--secret",
        "not hex!",
        "--body",
        str(body_file("{}")),
        "--signature",
        "v1,x",
        "--timestamp",
        "1",
        "--svix-id",
        "m",
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("apertur: error: Svix secret")


def test_missing_body_file_is_one_line_usage_error(tmp_path: Path) -> None:
    result = run("webhooks", "verify", "--secret", "s", "--body", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "No such file or directory" in result.stderr
    assert "Traceback" not in result.output
