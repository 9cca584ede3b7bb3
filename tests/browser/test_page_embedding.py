"""The page inside an iframe of another origin posts its events to the embedding app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browserhelpers import WAIT_MS, file_payload, iframe_host, png
from playwright.sync_api import Browser, Page, expect

from apertur_ext import Apertur
from apertur_local import LocalApertur

pytestmark = pytest.mark.browser


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    """A desktop-sized page: the embedding app."""
    context = browser.new_context(viewport={"width": 1000, "height": 800}, locale="en-US")
    context.set_default_timeout(WAIT_MS)
    yield context.new_page()
    context.close()


def messages(page: Page, count: int) -> list[dict[str, Any]]:
    """Wait until the host page holds ``count`` messages, then return them."""
    page.wait_for_function(f"() => window.received.length >= {count}")
    received: list[dict[str, Any]] = page.evaluate("() => window.received")
    return received


def test_the_embedding_page_hears_images_and_completion(
    desktop: Page, sdk: Apertur, apertur_local: LocalApertur
) -> None:
    created = sdk.sessions.create(max_images=2)
    with iframe_host(created.upload_url) as host_url:
        assert host_url.split("/")[2] != apertur_local.url.split("/")[2]  # another origin
        desktop.goto(host_url)
        frame = desktop.frame_locator("#upload")
        expect(frame.locator("body")).to_have_attribute("data-state", "ready")
        frame.locator("#choose-photos").set_input_files(
            [file_payload(f"{n}.png", png(seed=n), "image/png") for n in (1, 2)]
        )
        got = messages(desktop, 3)

    assert {m["origin"] for m in got} == {apertur_local.url}
    kinds = [m["message"]["type"] for m in got]
    assert kinds == ["apertur:image:received", "apertur:image:received", "apertur:session:complete"]
    images = [m["message"]["data"] for m in got[:2]]
    assert [i["filename"] for i in images] == ["1.png", "2.png"]
    stored = {row.id for row in sdk.uploads.list().data}
    assert {i["id"] for i in images} == stored
    assert got[2]["message"]["data"] == {"id": created.id, "status": "completed", "images": 2}


def test_the_embedding_page_hears_errors(desktop: Page, sdk: Apertur) -> None:
    created = sdk.sessions.create(password="pw", allowed_mime_types=["image/png"])
    with iframe_host(created.upload_url + "?lang=fr") as host_url:
        desktop.goto(host_url)
        frame = desktop.frame_locator("#upload")
        frame.locator("#password").fill("nope")
        frame.locator("#password-submit").click()
        first = messages(desktop, 1)[0]["message"]
        assert first == {
            "type": "apertur:error",
            "data": {"message": "Mot de passe incorrect. Réessayez."},
        }
        frame.locator("#password").fill("pw")
        frame.locator("#password-submit").click()
        frame.locator("#choose-photos").set_input_files(
            file_payload("note.txt", b"hello", "text/plain")
        )
        second = messages(desktop, 2)[1]["message"]
    assert second["type"] == "apertur:error"
    assert second["data"]["message"] == "Type d'image non accepté (acceptés : PNG)"
    assert sdk.uploads.list().total == 0


def test_a_page_opened_on_its_own_posts_nothing(phone: Page, sdk: Apertur) -> None:
    """Without a parent window there is nobody to tell (and no error from trying)."""
    created = sdk.sessions.create(max_images=1)
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(created.upload_url)
    phone.locator("#choose-photos").set_input_files(file_payload("a.png", png(), "image/png"))
    expect(phone.locator("body")).to_have_attribute("data-state", "completed")
    assert errors == []
