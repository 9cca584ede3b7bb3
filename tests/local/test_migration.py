"""A data directory of an older apertur-local (``state.json``) is migrated once, or refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from apertur_local import LocalConfig
from apertur_local._database import StateStoreError
from apertur_local._models import ApiKey, DestDelivery, Image, Project, Session
from apertur_local._state import build_state
from apertur_local._store_base import hash_secret


def _old_state_json(directory: Path) -> dict[str, Any]:
    """What an older server wrote: every table as ``attrs.asdict`` rows, image ids in sessions."""
    project = Project("proj_local", "Local project", 1.0)
    key = ApiKey(
        "key_bootstrap",
        "proj_local",
        "Bootstrap key",
        "aptr_test_loca",
        hash_secret("aptr_test_local"),
        "test",
        1.0,
    )
    session = Session(
        "s-1",
        "proj_local",
        "key_bootstrap",
        "test",
        2.0,
        9e9,
        3.0,
        "code",
        long_polling=True,
        metadata={"a": {"b": [1]}},
        image_ids=["img_1", "img_2"],
    )
    images = [
        Image(
            f"img_{n}",
            "s-1",
            "proj_local",
            "key_bootstrap",
            "test",
            f"{n}.png",
            "image/png",
            4,
            "camera",
            False,
            3.0 + n,
            f"img_{n}",
            index=n - 1,
            acknowledged=n == 1,
            deliveries=[DestDelivery("dest_1", "s3", "b", status="sending")],
        )
        for n in (1, 2)
    ]
    (directory / "blobs").mkdir(parents=True)
    for image in images:
        (directory / "blobs" / image.blob).write_bytes(b"data")
    data = {
        "projects": [attrs.asdict(project)],
        "keys": [attrs.asdict(key)],
        "sessions": [attrs.asdict(session)],
        "images": [attrs.asdict(i) for i in images],
        "destinations": [],
        "webhooks": [],
        "deliveries": [],
    }
    (directory / "state.json").write_text(json.dumps(data))
    return data


def test_state_json_is_migrated_once(tmp_path: Path) -> None:
    _old_state_json(tmp_path)
    state = build_state(LocalConfig(data_dir=tmp_path))
    session = state.tables.sessions["s-1"]
    assert session.image_ids == ["img_1", "img_2"]
    assert session.metadata == {"a": {"b": [1]}}
    assert [i.id for i in state.uploads.poll(session)] == ["img_2"]
    row = state.tables.images["img_2"].deliveries[0]
    assert (row.status, row.last_error) == (
        "failed",
        "interrupted: the local server restarted during delivery",
    )
    assert state.startup.orphans_moved == 0
    assert state.startup.missing_blobs == 0
    state.close()
    assert not (tmp_path / "state.json").exists()
    assert (tmp_path / "state.json.migrated").is_file()
    again = build_state(LocalConfig(data_dir=tmp_path))  # from the database, not the file
    assert again.tables.sessions["s-1"].image_ids == ["img_1", "img_2"]
    again.close()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (lambda text: text[: len(text) // 2], "unreadable"),
        (lambda text: "", "unreadable"),
        (lambda text: "[1, 2]", "not a JSON object"),
        (lambda text: text.replace('"key_hash"', '"key_hash_renamed"'), "keys entry 0"),
        (
            lambda text: json.dumps({"sessions": {"not": "a list"}}),
            "'sessions' entry is not a list",
        ),
    ],
    ids=["truncated", "empty", "array", "bad-record", "bad-table"],
)
def test_a_state_json_that_cannot_be_read_whole_is_refused(
    tmp_path: Path, content: Any, expected: str
) -> None:
    _old_state_json(tmp_path)
    legacy = tmp_path / "state.json"
    legacy.write_text(content(legacy.read_text()))
    before = legacy.read_bytes()
    with pytest.raises(StateStoreError) as info:
        build_state(LocalConfig(data_dir=tmp_path))
    assert expected in str(info.value)
    assert "Nothing was changed" in str(info.value)
    assert legacy.read_bytes() == before
    assert not (tmp_path / "state.sqlite3").exists()
    assert sorted(p.name for p in (tmp_path / "blobs").iterdir()) == ["img_1", "img_2"]
