"""What the page tells a person when a photo or the session cannot take more.

Expired, completed and full sessions, an unknown link, a file too large, of the wrong type, or
refused by the server after it looked at the content. Nothing refused is ever stored.
"""

from __future__ import annotations

import httpx
import pytest
from browserhelpers import file_payload, jpeg, png, sha256
from playwright.sync_api import Page, expect

from apertur_ext import Apertur
from apertur_local import LocalApertur

pytestmark = pytest.mark.browser


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("body")).not_to_have_attribute("data-state", "loading")


def test_an_expired_link(phone: Page, sdk: Apertur, apertur_local: LocalApertur) -> None:
    created = sdk.sessions.create(expires_in_hours=1)
    with httpx.Client(base_url=apertur_local.url, trust_env=False) as control:
        control.post("/_local/clock", json={"advance": 2 * 3600}).raise_for_status()
    open_page(phone, created.upload_url)
    expect(phone.locator("body")).to_have_attribute("data-state", "expired")
    expect(phone.locator("#notice-title")).to_have_text("This link has expired")
    expect(phone.locator("#picker")).to_be_hidden()


def test_a_completed_session(phone: Page, sdk: Apertur) -> None:
    created = sdk.sessions.create(max_images=1)
    sdk.upload.image(created.id, png(), filename="first.png")
    open_page(phone, created.upload_url)
    expect(phone.locator("body")).to_have_attribute("data-state", "completed")
    expect(phone.locator("#notice-title")).to_have_text("This session is complete")
    expect(phone.locator("#picker")).to_be_hidden()


def test_a_session_that_fills_up_while_sending(phone: Page, sdk: Apertur) -> None:
    created = sdk.sessions.create(max_images=2, long_polling=True)
    open_page(phone, created.upload_url)
    expect(phone.locator("#limits")).to_contain_text("At most 2 photos in this session.")
    photos = [png(40, 30, seed=s) for s in (1, 2, 3)]
    phone.set_input_files(
        "#choose-photos",
        [file_payload(f"{i}.png", data, "image/png") for i, data in enumerate(photos)],
    )
    expect(phone.locator('#files .file[data-state="done"]')).to_have_count(2)
    skipped = phone.locator('#files .file[data-state="skipped"]')
    expect(skipped).to_have_count(1)
    expect(skipped.locator(".file-status")).to_have_text("Not sent: the session is full")
    expect(phone.locator("body")).to_have_attribute("data-state", "completed")

    got: dict[str, str] = {}
    sdk.polling.poll_and_process(
        created.id,
        lambda image, data: got.__setitem__(str(image.filename), sha256(data)),
        interval=0.1,
        timeout=60,
        max_images=2,
    )
    assert got == {"0.png": sha256(photos[0]), "1.png": sha256(photos[1])}
    assert sdk.sessions.get(created.id).status == "completed"


def test_an_unknown_link(phone: Page, apertur_local: LocalApertur) -> None:
    response = phone.goto(f"{apertur_local.url}/u/00000000-0000-4000-8000-000000000000")
    assert response is not None
    assert response.status == 404
    expect(phone.locator("body")).to_have_attribute("data-state", "notfound")
    expect(phone.locator("#notice-title")).to_have_text("This link is not valid")


def test_too_large_and_wrong_type_files_are_refused_before_sending(
    phone: Page, sdk: Apertur
) -> None:
    created = sdk.sessions.create(long_polling=True, allowed_mime_types=["image/jpeg"])
    sdk.sessions.update(created.id, max_image_size_mb=1)
    open_page(phone, created.upload_url)
    expect(phone.locator("#choose-photos")).to_have_attribute("accept", "image/jpeg")
    expect(phone.locator("#take-photo")).to_have_attribute("accept", "image/jpeg")
    expect(phone.locator("#limits")).to_contain_text("Accepted: JPEG, up to 1 MB per photo.")

    too_large = jpeg(8, 8) + b"\x00" * (1024 * 1024 + 1)
    phone.set_input_files(
        "#choose-photos",
        [
            file_payload("huge.jpg", too_large, "image/jpeg"),
            file_payload("drawing.png", png(), "image/png"),
            file_payload("notes.txt", b"not a photo", "text/plain"),
            file_payload("empty.jpg", b"", "image/jpeg"),
        ],
    )
    statuses = phone.locator('#files .file[data-state="error"] .file-status')
    expect(statuses).to_have_text(
        [
            "Too large: 1 MB at most",
            "Not an accepted image type (accepted: JPEG)",
            "Not an accepted image type (accepted: JPEG)",
            "This file is empty",
        ]
    )
    assert sdk.polling.list(created.id).images == []


def test_a_file_the_server_does_not_recognise(phone: Page, sdk: Apertur) -> None:
    """Named and typed like a JPEG, but its content is not an image: the server says no."""
    created = sdk.sessions.create(long_polling=True)
    open_page(phone, created.upload_url)
    phone.set_input_files(
        "#choose-photos", file_payload("fake.jpg", b"this is not a JPEG at all", "image/jpeg")
    )
    status = phone.locator('#files .file[data-state="error"] .file-status')
    expect(status).to_have_text("Not an accepted image type (accepted: JPEG, PNG, WebP, GIF, HEIC)")
    assert sdk.polling.list(created.id).images == []


def test_a_refused_photo_does_not_stop_the_others(phone: Page, sdk: Apertur) -> None:
    created = sdk.sessions.create(long_polling=True, max_image_dimension=50)
    open_page(phone, created.upload_url)
    phone.set_input_files(
        "#choose-photos",
        [
            file_payload("wide.png", png(120, 20, seed=1), "image/png"),
            file_payload("small.png", png(40, 40, seed=2), "image/png"),
        ],
    )
    expect(phone.locator('#files .file[data-state="done"]')).to_have_count(1)
    expect(phone.locator('#files .file[data-state="error"] .file-status')).to_have_text(
        "Image too large: 50 pixels at most on each side"
    )
    assert [i.filename for i in sdk.polling.list(created.id).images] == ["small.png"]
