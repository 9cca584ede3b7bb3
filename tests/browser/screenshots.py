"""Refresh the README's pictures of the upload page (``make screenshots``).

Starts a local server, opens real sessions in Debian's Chromium at a phone's size, uploads a few
generated photos through the page and saves what it shows to ``docs/screenshots/``:

* ``upload-light.png``: photos sent, one refused (light theme);
* ``upload-dark.png``: photos sent encrypted from the browser (``colorScheme=dark``);
* ``password-fr.png``: a password-protected session, in French, after a wrong password.
"""

from __future__ import annotations

import sys
from pathlib import Path

from browserhelpers import PHONE, WAIT_MS, file_payload, jpeg, launch, png
from playwright.sync_api import Browser, Page, expect, sync_playwright

from apertur_ext import Apertur
from apertur_local import LocalApertur

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _page(browser: Browser, locale: str = "en-US") -> Page:
    context = browser.new_context(**PHONE, locale=locale)
    context.set_default_timeout(WAIT_MS)
    return context.new_page()


def _save(page: Page, name: str) -> Path:
    target = OUT / name
    page.screenshot(path=str(target), animations="disabled")
    page.context.close()
    return target


def _photos() -> list[dict[str, object]]:
    return [
        file_payload("IMG_2041.jpg", jpeg(640, 480, seed=4), "image/jpeg"),
        file_payload("IMG_2042.png", png(400, 300, seed=5), "image/png"),
        file_payload("receipt.png", png(300, 420, seed=6), "image/png"),
    ]


def upload_light(browser: Browser, sdk: Apertur) -> Path:
    created = sdk.sessions.create(max_images=10, allowed_mime_types=["image/jpeg", "image/png"])
    sdk.sessions.update(created.id, max_image_size_mb=20)
    page = _page(browser)
    page.goto(created.upload_url + "?colorScheme=light")
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    page.set_input_files("#choose-photos", _photos())
    expect(page.locator('#files .file[data-state="done"]')).to_have_count(3)
    page.set_input_files("#choose-photos", file_payload("notes.txt", b"hello", "text/plain"))
    expect(page.locator('#files .file[data-state="error"]')).to_have_count(1)
    return _save(page, "upload-light.png")


def upload_dark(browser: Browser, sdk: Apertur) -> Path:
    created = sdk.sessions.create(max_images=10)
    sdk.sessions.update(created.id, max_image_size_mb=20)
    page = _page(browser)
    page.goto(created.upload_url + "?colorScheme=dark&encrypt=1")
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    page.set_input_files("#choose-photos", _photos())
    expect(page.locator('#files .file[data-state="done"]')).to_have_count(3)
    return _save(page, "upload-dark.png")


def password_fr(browser: Browser, sdk: Apertur) -> Path:
    created = sdk.sessions.create(password="correct horse")
    page = _page(browser, locale="fr-FR")
    page.goto(created.upload_url + "?lang=fr")
    expect(page.locator("body")).to_have_attribute("data-state", "password")
    page.fill("#password", "battery staple")
    page.click("#password-submit")
    expect(page.locator("#password-error")).to_be_visible()
    return _save(page, "password-fr.png")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        LocalApertur() as server,
        Apertur(server.api_key, base_url=server.url) as sdk,
        sync_playwright() as playwright,
    ):
        browser = launch(playwright)
        try:
            for make in (upload_light, upload_dark, password_fr):
                print(f"wrote {make(browser, sdk)}")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
