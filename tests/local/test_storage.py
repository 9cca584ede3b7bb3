"""The data directory at start-up: leftovers removed, orphans moved aside and reported."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import httpx
import pytest
from localhelpers import make_png

from apertur_local import LocalApertur, LocalConfig
from apertur_local._database import StateStoreError
from apertur_local._state import build_state
from apertur_local._storage import BlobStore
from apertur_local._store_sessions import SessionOptions
from apertur_local._store_uploads import NewImage


def _add_png(state, session_id: str) -> str:  # type: ignore[no-untyped-def]
    temp = state.blobs.new_temp()
    temp.write_bytes(make_png())
    new = NewImage(
        content=temp,
        size_bytes=len(make_png()),
        filename="p.png",
        mime_type="image/png",
        width=4,
        height=3,
        source="camera",
        is_encrypted=False,
    )
    key = state.keys.authenticate("aptr_test_local")
    return state.uploads.add(state.sessions.get(session_id), key, new).id


def test_startup_removes_leftovers_and_reports_orphans(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = build_state(LocalConfig(data_dir=tmp_path))
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions())
    kept = _add_png(state, session.id)
    lost = _add_png(state, session.id)
    state.close()
    (tmp_path / "tmp" / "half-received.part").write_bytes(b"x" * 1000)
    (tmp_path / "trash" / "old").mkdir(parents=True)
    (tmp_path / "trash" / "old" / "img_x").write_bytes(b"x")
    (tmp_path / "blobs" / "img_crashed_before_commit").write_bytes(b"orphan")
    (tmp_path / "blobs" / lost).unlink()

    with caplog.at_level(logging.WARNING, logger="apertur_local"):
        state = build_state(LocalConfig(data_dir=tmp_path))
    assert state.startup.as_dict() == {"leftoversRemoved": 2, "orphansMoved": 1, "missingBlobs": 1}
    assert state.summary()["startup"] == state.startup.as_dict()
    assert list((tmp_path / "tmp").iterdir()) == []
    assert list((tmp_path / "trash").iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "blobs").iterdir()) == [kept]
    assert (tmp_path / "orphans" / "img_crashed_before_commit").read_bytes() == b"orphan"
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "1 file(s)" in messages
    assert "orphans" in messages
    assert "1 stored image(s) have no file" in messages
    state.close()


def test_reset_detaches_blobs_at_once_and_deletes_them_later(tmp_path: Path) -> None:
    state = build_state(LocalConfig(data_dir=tmp_path))
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions())
    for _ in range(3):
        _add_png(state, session.id)
    detached = state.reset()
    assert list(state.blobs.blobs.iterdir()) == []
    assert detached is not None
    assert len(list(detached.iterdir())) == 3
    state.blobs.remove_tree(detached)
    assert not detached.exists()
    state.close()


def test_an_unreadable_server_key_is_refused(tmp_path: Path) -> None:
    build_state(LocalConfig(data_dir=tmp_path)).close()
    key_file = tmp_path / "server_key.pem"
    key_file.write_bytes(key_file.read_bytes()[:100])
    with pytest.raises(StateStoreError, match="server key"):
        build_state(LocalConfig(data_dir=tmp_path))
    key_file.unlink()  # moved away: a new key is made, and the refused start released the lock
    build_state(LocalConfig(data_dir=tmp_path)).close()


def test_a_missing_blob_downloads_as_404(tmp_path: Path) -> None:
    with LocalApertur(data_dir=tmp_path) as server:
        state = server.app.state  # type: ignore[union-attr]
        key = state.keys.authenticate("aptr_test_local")
        session = state.sessions.create(key, SessionOptions(long_polling=True))
        image = _add_png(state, session.id)
        (tmp_path / "blobs" / image).unlink()
        with httpx.Client(
            base_url=server.url,
            headers={"Authorization": "Bearer aptr_test_local"},
            trust_env=False,
        ) as api:
            for path in (
                f"/api/v1/uploads/{image}/download",
                f"/api/v1/upload-sessions/{session.id}/images/{image}",
            ):
                reply = api.get(path)
                assert reply.status_code == 404
                assert reply.json()["message"] == "Image file not found"


@pytest.fixture
def fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What ``os.fsync`` is called on (the path behind each descriptor), in order."""
    seen: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        seen.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return seen


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
@pytest.mark.parametrize("durable", [True, False])
def test_bytes_become_a_blob_durably_when_the_directory_is_kept(
    tmp_path: Path, fsyncs: list[str], durable: bool
) -> None:
    blobs = BlobStore(tmp_path, durable=durable)
    blobs.write(b"image bytes", "img_1")
    assert blobs.path("img_1").read_bytes() == b"image bytes"
    expected = [str(blobs.blobs / "img_1"), str(blobs.blobs)]  # the file, then its directory
    assert fsyncs == (expected if durable else [])
    assert list(blobs.tmp.iterdir()) == []  # no temp file on the way


def test_a_blob_is_never_written_over(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    blobs.write(b"first", "img_1")
    with pytest.raises(FileExistsError):
        blobs.write(b"second", "img_1")
    assert blobs.path("img_1").read_bytes() == b"first"


def test_a_blob_that_cannot_be_written_whole_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blobs = BlobStore(tmp_path)

    def failing(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(OSError, match="Input/output"):
        blobs.write(b"image bytes", "img_1")
    assert list(blobs.blobs.iterdir()) == []


def test_put_writes_bytes_and_commits_a_temp_file(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path, durable=False)
    temp = blobs.new_temp()
    temp.write_bytes(b"from disk")
    blobs.put(temp, "img_1")
    blobs.put(b"from memory", "img_2")
    assert not temp.exists()
    assert blobs.path("img_1").read_bytes() == b"from disk"
    assert blobs.path("img_2").read_bytes() == b"from memory"
