"""``apertur destinations|keys|webhooks`` and ``sessions update`` against the local server."""

from __future__ import annotations

import json

import pytest
from clihelpers import Run, one_line_error

from apertur_ext import Apertur
from apertur_local import LocalApertur


@pytest.fixture
def project(apertur_local: LocalApertur, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("APERTUR_PROJECT_ID", apertur_local.project_id)
    return apertur_local.project_id


def test_destination_life_cycle(run: Run, client: Apertur, project: str, tmp_path) -> None:
    config = tmp_path / "config.json"
    config.write_text('{"bucket": "photos", "region": "eu-west-1"}')
    dest = run("-q", "destinations", "create", "--type", "s3", "--name", "Bucket",
               "--config-json", f"@{config}").stdout.strip()  # fmt: skip
    [made] = client.destinations.list(project)
    assert made.id == dest
    assert made.config.to_dict() == {"bucket": "photos", "region": "eu-west-1"}

    result = run("destinations", "update", dest, "--name", "Renamed", "--config", "bucket=b2")
    assert result.exit_code == 0, result.output
    assert "Renamed" in result.stdout
    [changed] = client.destinations.list(project)
    assert changed.name == "Renamed"
    assert changed.config.to_dict()["bucket"] == "b2"

    listed = run("destinations", "list")
    assert dest in listed.stdout
    assert "Renamed" in listed.stdout
    assert run("destinations", "test", dest).exit_code == 0

    assert run("-q", "destinations", "delete", dest).stdout.strip() == dest
    assert client.destinations.list(project) == []


def test_update_without_changes_is_a_usage_error(run: Run, project: str) -> None:
    for args in (
        ("destinations", "update", "d1"),
        ("keys", "update", "k1"),
        ("webhooks", "update", "w1"),
        ("sessions", "update", "s1"),
    ):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "nothing to change" in one_line_error(result)


def test_bad_config_options(run: Run, project: str) -> None:
    line = one_line_error(
        run("destinations", "create", "--type", "s3", "--name", "x", "--config", "novalue")
    )
    assert line == "apertur: error: --config takes KEY=VALUE, got 'novalue'"
    line = one_line_error(
        run("destinations", "create", "--type", "s3", "--name", "x", "--config-json", "[1]")
    )
    assert line == "apertur: error: --config-json must be a JSON object"


def test_missing_project_id(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APERTUR_PROJECT_ID", raising=False)
    result = run("keys", "list")
    assert result.exit_code == 2
    assert one_line_error(result) == (
        "apertur: error: no project id: pass --project-id or set APERTUR_PROJECT_ID"
    )


def test_key_life_cycle(run: Run, client: Apertur, project: str) -> None:
    created = json.loads(run("--json", "keys", "create", "--label", "mobile").stdout)
    key_id, secret = created["key"]["id"], created["plain_text_key"]
    assert secret.startswith("aptr_test_")
    text = run("keys", "list")
    assert key_id in text.stdout
    assert secret not in text.stdout  # only create shows the key, once

    result = run("keys", "update", key_id, "--label", "mobile v2", "--inactive",
                 "--allowed-ip", "127.0.0.1,::1")  # fmt: skip
    assert result.exit_code == 0, result.output
    [key] = [k for k in client.keys.list(project) if k.id == key_id]
    assert (key.label, key.is_active, key.allowed_ips) == ("mobile v2", False, ["127.0.0.1", "::1"])

    dest = client.destinations.create(project, type="s3", name="b").id
    chosen = run("-q", "keys", "set-destinations", key_id, dest, "--long-polling")
    assert chosen.stdout.split() == [dest]
    [key] = [k for k in client.keys.list(project) if k.id == key_id]
    assert key.long_polling_enabled is True

    assert run("keys", "delete", key_id).exit_code == 0
    assert key_id not in [k.id for k in client.keys.list(project)]


def test_created_secrets_are_shown_once_with_a_warning(run: Run, project: str) -> None:
    result = run("keys", "create", "--label", "once")
    assert result.exit_code == 0, result.output
    assert "API key" in result.stdout
    assert "shown only now" in result.stderr
    quiet = run("-q", "keys", "create", "--label", "quiet")
    assert quiet.stdout.strip().startswith("key_")  # the id, never the key itself
    assert "aptr_" not in quiet.stdout


def test_webhook_life_cycle(run: Run, client: Apertur, project: str) -> None:
    hook = json.loads(
        run("--json", "webhooks", "create", "--url", "http://127.0.0.1:9/events",
            "--topic", "image.uploaded,session.completed", "--signature-method", "svix",
            "--retries", "1", "--retry-interval", "5", "--header", "X-Team=photos").stdout
    )  # fmt: skip
    assert hook["topics"] == ["image.uploaded", "session.completed"]
    assert hook["signature_method"] == "svix"
    assert hook["custom_headers"] == {"X-Team": "photos"}  # user data keeps its keys
    assert hook["secret"]

    result = run("webhooks", "update", hook["id"], "--topic", "image.*", "--inactive")
    assert result.exit_code == 0, result.output
    [changed] = client.webhooks.list(project)
    assert (changed.topics, changed.is_active) == (["image.*"], False)

    assert run("webhooks", "test", hook["id"]).exit_code == 0
    deliveries = run("-q", "webhooks", "deliveries", hook["id"]).stdout.split()
    assert len(deliveries) == 1
    retried = run("webhooks", "retry", hook["id"], deliveries[0])
    assert retried.exit_code == 0, retried.output
    assert run("webhooks", "list", "-q").stdout.split() == [hook["id"]]
    assert run("webhooks", "delete", hook["id"]).exit_code == 0
    assert client.webhooks.list(project) == []


def test_sessions_update(run: Run, client: Apertur) -> None:
    uuid = client.sessions.create(password="old").id
    result = run("--json", "sessions", "update", uuid, "--max-images", "7", "--remove-password")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["effective_max_images"] == 7
    assert shown["password_protected"] is False
    run("sessions", "update", uuid, "--password", "new")
    assert client.sessions.get(uuid).password_protected is True
    assert client.sessions.verify_password(uuid, "new").valid
    both = run("sessions", "update", uuid, "--password", "x", "--remove-password")
    assert both.exit_code == 2
    assert "cannot be combined" in one_line_error(both)
