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
    broken = images / "broken.jpg"
    broken.write_bytes(b"definitely not a jpeg")
    # Named on the command line, it is sent: the server refuses it, the others go on.
    result = run("upload", uuid, str(images / "a.png"), str(broken), "--concurrency", "2")
    assert result.exit_code == 1
    assert "1 stored" in result.stdout
    assert "1 failed" in result.stdout
    report = json.loads(run("--json", "upload", uuid, str(broken)).stdout)
    assert report["stored"] == []
    assert report["failed"][0]["path"].endswith("broken.jpg")
    assert "HTTP 400" in report["failed"][0]["error"]


def test_a_folder_is_judged_by_content(run: Run, client: Apertur, images: Path) -> None:
    """A JPEG without an extension goes up; a text file named .jpg is skipped, and both the
    summary and --json say what was skipped and why."""
    uuid = client.sessions.create().id
    (images / "scan-0001").write_bytes((images / "b.jpg").read_bytes())
    (images / "broken.jpg").write_text("definitely not a jpeg")
    result = run("upload", uuid, str(images))
    assert result.exit_code == 0, result.output
    assert "4 stored" in result.stdout
    assert "3 skipped" in result.stdout
    assert "skipped " + str(images / "broken.jpg") + ": not an image (text)" in result.stderr
    report = json.loads(run("--json", "upload", uuid, str(images)).stdout)
    assert sorted(Path(item["path"]).name for item in report["stored"]) == [
        "a.png",
        "b.jpg",
        "c.png",
        "scan-0001",
    ]
    assert {Path(item["path"]).name: item["reason"] for item in report["skipped"]} == {
        ".hidden.png": "hidden file",
        "broken.jpg": "not an image (text)",
        "notes.txt": "not an image (text)",
    }
    quiet = run("-q", "upload", uuid, str(images))
    assert len(quiet.stdout.split()) == 4
    assert all(line.startswith("img_") for line in quiet.stdout.split())


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
