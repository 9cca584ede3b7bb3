"""A person uploads through the page in Chromium; the developer receives with the SDK.

Every test compares the SHA-256 of what the browser sent with what ``poll_and_process``
delivered, and waits on the page's own state (``data-state`` attributes), never on time.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from browserhelpers import file_payload, jpeg, png, sha256
from playwright.sync_api import Page, Request, expect

from apertur_ext import Apertur
from apertur_local import LocalApertur

pytestmark = pytest.mark.browser


def receive_all(sdk: Apertur, uuid: str, count: int) -> dict[str, tuple[str, str]]:
    """``{filename: (sha256, source)}`` of ``count`` images drained from the session's queue."""
    got: dict[str, tuple[str, str]] = {}

    def handle(image: Any, data: bytes) -> None:
        got[str(image.filename)] = (sha256(data), str(image.source))

    sdk.polling.poll_and_process(uuid, handle, interval=0.1, timeout=60, max_images=count)
    return got


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("body")).not_to_have_attribute("data-state", "loading")


def test_several_images_reach_the_developer_unchanged(
    phone: Page, sdk: Apertur, apertur_local: LocalApertur
) -> None:
    created = sdk.sessions.create(long_polling=True)
    requests: list[Request] = []
    phone.on("request", lambda request: requests.append(request))
    open_page(phone, created.upload_url)
    expect(phone.locator("body")).to_have_attribute("data-state", "ready")
    expect(phone.locator("#encrypt")).not_to_be_checked()

    files = {
        "beach.png": (png(120, 80, seed=1), "image/png"),
        "dog.jpg": (jpeg(32, 24, seed=2), "image/jpeg"),
        "tree.png": (png(64, 64, seed=3), "image/png"),
    }
    phone.set_input_files("#choose-photos", [file_payload(n, d, t) for n, (d, t) in files.items()])
    rows = phone.locator("#files .file")
    expect(rows).to_have_count(3)
    expect(phone.locator('#files .file[data-state="done"]')).to_have_count(3)
    expect(phone.locator("#summary")).to_have_text("3 photos sent")
    expect(rows.first.locator(".file-status")).to_have_text("Sent")

    received = receive_all(sdk, created.id, 3)
    assert received == {name: (sha256(data), "gallery") for name, (data, _) in files.items()}
    rows_listed = sdk.uploads.list().data
    assert {row.filename: row.is_encrypted for row in rows_listed} == dict.fromkeys(files, False)

    # The page never carries the API key: no request has Authorization, and it only calls the
    # session's own routes.
    api_paths = {r.url.split(apertur_local.url, 1)[-1] for r in requests if "/api/" in r.url}
    assert api_paths <= {
        f"/api/v1/upload/{created.id}/session",
        f"/api/v1/upload/{created.id}/images",
    }
    assert all("authorization" not in r.headers for r in requests)
    assert apertur_local.api_key not in phone.content()


def test_encrypted_uploads_behind_a_password(phone: Page, sdk: Apertur) -> None:
    created = sdk.sessions.create(long_polling=True, password="open sesame")
    open_page(phone, created.upload_url)
    expect(phone.locator("body")).to_have_attribute("data-state", "password")
    expect(phone.locator("#picker")).to_be_hidden()
    phone.fill("#password", "open sesame")
    phone.click("#password-submit")
    expect(phone.locator("body")).to_have_attribute("data-state", "ready")

    toggle = phone.locator("#encrypt")
    expect(toggle).to_be_enabled()
    toggle.check()
    photo = png(200, 150, seed=7)
    snapshot = jpeg(48, 32, seed=8)
    phone.set_input_files("#take-photo", file_payload("snapshot.jpg", snapshot, "image/jpeg"))
    expect(phone.locator('#files .file[data-state="done"]')).to_have_count(1)
    phone.set_input_files("#choose-photos", file_payload("photo.png", photo, "image/png"))
    expect(phone.locator('#files .file[data-state="done"]')).to_have_count(2)
    expect(phone.locator("#files .file .file-status").first).to_have_text("Sent encrypted")

    received = receive_all(sdk, created.id, 2)
    assert received == {
        "snapshot.jpg": (sha256(snapshot), "camera"),
        "photo.png": (sha256(photo), "gallery"),
    }
    listed = {row.filename: row.is_encrypted for row in sdk.uploads.list().data}
    assert listed == {"snapshot.jpg": True, "photo.png": True}


def test_a_link_can_require_encryption(phone: Page, sdk: Apertur) -> None:
    created = sdk.sessions.create(long_polling=True)
    open_page(phone, created.upload_url + "?encrypt=1")
    toggle = phone.locator("#encrypt")
    expect(toggle).to_be_checked()
    expect(toggle).to_be_disabled()
    images = [png(90, 60, seed=s) for s in (11, 12, 13)]
    phone.set_input_files(
        "#choose-photos",
        [file_payload(f"p{i}.png", data, "image/png") for i, data in enumerate(images)],
    )
    expect(phone.locator('#files .file[data-state="done"]')).to_have_count(3)
    received = receive_all(sdk, created.id, 3)
    assert received == {f"p{i}.png": (sha256(d), "gallery") for i, d in enumerate(images)}
    assert all(row.is_encrypted for row in sdk.uploads.list().data)


def test_a_larger_photo_encrypted_in_the_browser(phone: Page, sdk: Apertur) -> None:
    """About 2 MiB of incompressible pixels: the envelope is built in slices, not one string."""
    created = sdk.sessions.create(long_polling=True)
    open_page(phone, created.upload_url)
    phone.locator("#encrypt").check()
    big = png(820, 820, seed=21, noise=True)
    assert len(big) > 2_000_000
    phone.set_input_files("#choose-photos", file_payload("big.png", big, "image/png"))
    expect(phone.locator('#files .file[data-state="done"]')).to_have_count(1)
    assert receive_all(sdk, created.id, 1) == {"big.png": (sha256(big), "gallery")}


def test_a_wrong_password_stores_nothing_and_says_so(
    phone: Page, sdk: Apertur, apertur_local: LocalApertur
) -> None:
    created = sdk.sessions.create(long_polling=True, password="right")
    open_page(phone, created.upload_url)
    phone.fill("#password", "wrong")
    phone.click("#password-submit")
    error = phone.locator("#password-error")
    expect(error).to_be_visible()
    expect(error).to_have_text("Wrong password. Try again.")
    expect(phone.locator("body")).to_have_attribute("data-state", "password")
    expect(phone.locator("#picker")).to_be_hidden()

    # The server agrees: without the right password nothing gets in.
    refused = httpx.post(
        f"{apertur_local.url}/api/v1/upload/{created.id}/images",
        files={"file": ("x.png", png())},
        headers={"x-session-password": "wrong"},
        trust_env=False,
    )
    assert refused.status_code == 403
    assert sdk.polling.list(created.id).images == []
    assert sdk.uploads.list().total == 0


def test_past_the_bound_on_wrong_passwords_the_page_says_to_wait(
    phone: Page, sdk: Apertur, apertur_local: LocalApertur
) -> None:
    created = sdk.sessions.create(long_polling=True, password="right")
    for guess in range(apertur_local.config.password_attempts):  # someone else with the link
        httpx.post(
            f"{apertur_local.url}/api/v1/upload/{created.id}/verify-password",
            json={"password": f"guess-{guess}"},
            trust_env=False,
        ).raise_for_status()
    open_page(phone, created.upload_url)
    phone.fill("#password", "right")
    phone.click("#password-submit")
    expect(phone.locator("#password-error")).to_have_text(
        "Too many wrong passwords. Wait a minute, then try again."
    )
    expect(phone.locator("body")).to_have_attribute("data-state", "password")
    httpx.post(apertur_local.url + "/_local/clock", json={"advance": 61}, trust_env=False)
    phone.click("#password-submit")
    expect(phone.locator("body")).to_have_attribute("data-state", "ready")


def test_a_password_changed_after_unlocking_stops_the_uploads(phone: Page, sdk: Apertur) -> None:
    created = sdk.sessions.create(long_polling=True, password="first")
    open_page(phone, created.upload_url)
    phone.fill("#password", "first")
    phone.click("#password-submit")
    expect(phone.locator("body")).to_have_attribute("data-state", "ready")
    sdk.sessions.update(created.id, password="second")
    phone.set_input_files(
        "#choose-photos",
        [
            file_payload("a.png", png(seed=1), "image/png"),
            file_payload("b.png", png(seed=2), "image/png"),
        ],
    )
    expect(phone.locator('#files .file[data-state="error"] .file-status')).to_have_text(
        "Not sent: the password was refused"
    )
    expect(phone.locator('#files .file[data-state="skipped"]')).to_have_count(1)
    expect(phone.locator("body")).to_have_attribute("data-state", "password")
    expect(phone.locator("#password-error")).to_be_visible()
    assert sdk.polling.list(created.id).images == []


def test_the_short_link_opens_the_page_with_its_options(phone: Page, sdk: Apertur) -> None:
    created = sdk.sessions.create()
    assert created.short_url
    open_page(phone, f"{created.short_url}?lang=fr&colorScheme=dark")
    assert phone.url.startswith(created.upload_url)
    expect(phone.locator("h1")).to_have_text("Envoyer des photos")
    expect(phone.locator("html")).to_have_attribute("data-theme", "dark")
