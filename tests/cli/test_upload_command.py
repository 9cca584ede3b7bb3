"""``apertur upload`` against the local server: folders, encryption, passwords, failures."""

from __future__ import annotations

import json
from pathlib import Path

from clihelpers import Run, one_line_error, sha256

from apertur_ext import Apertur


def _stored(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_folder_upload_takes_images_only(run: Run, client: Apertur, images: Path) -> None:
    uuid = client.sessions.create(long_polling=True).id
    report = _stored(run("--json", "upload", uuid, str(images)))
    names = sorted(Path(item["path"]).name for item in report["stored"])
    assert names == ["a.png", "b.jpg", "c.png"]  # not notes.txt, not .hidden.png
    assert report["failed"] == []
    queued = {image.filename for image in client.polling.list(uuid).images}
    assert queued == {"a.png", "b.jpg", "c.png"}


def test_encrypted_upload_arrives_decrypted(run: Run, client: Apertur, images: Path) -> None:
    uuid = client.sessions.create(long_polling=True).id
    original = images / "a.png"
    report = _stored(run("upload", uuid, str(original), "--encrypt", "--json"))
    assert report["encrypted"] is True
    (image,) = client.polling.list(uuid).images
    assert image.id == report["stored"][0]["id"]
    assert sha256(client.polling.download(uuid, image.id)) == sha256(original.read_bytes())


def test_password_protected_session(run: Run, client: Apertur, images: Path) -> None:
    uuid = client.sessions.create(password="s3cr3t").id
    denied = run("upload", uuid, str(images / "a.png"))
    assert denied.exit_code != 0
    assert "s3cr3t" not in denied.output
    ok = run(
        "upload", uuid, str(images / "a.png"), extra_env={"APERTUR_SESSION_PASSWORD": "s3cr3t"}
    )
    assert ok.exit_code == 0, ok.output
    assert "1 stored" in ok.stdout


def test_a_bad_file_fails_alone_and_exit_is_1(run: Run, client: Apertur, images: Path) -> None:
    uuid = client.sessions.create().id
    (images / "broken.jpg").write_bytes(b"definitely not a jpeg")
    result = run("upload", uuid, str(images), "--concurrency", "2")
    assert result.exit_code == 1
    assert "3 stored" in result.stdout
    assert "1 failed" in result.stdout
    report = json.loads(run("--json", "upload", uuid, str(images / "broken.jpg")).stdout)
    assert report["stored"] == []
    assert report["failed"][0]["path"].endswith("broken.jpg")
    assert "HTTP 400" in report["failed"][0]["error"]


def test_progress_and_summary_for_people(run: Run, client: Apertur, images: Path) -> None:
    uuid = client.sessions.create().id
    result = run("upload", uuid, str(images / "a.png"), str(images / "b.jpg"))
    assert result.exit_code == 0, result.output
    assert "✓ 2 stored" in result.stdout
    assert "upload 2/2 files" in result.stderr  # the progress bar's final state


def test_folder_without_images(run: Run, client: Apertur, tmp_path: Path) -> None:
    uuid = client.sessions.create().id
    (tmp_path / "empty").mkdir()
    line = one_line_error(run("upload", uuid, str(tmp_path / "empty")))
    assert "no image files to upload" in line
