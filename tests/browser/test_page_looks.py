"""How the page looks and reads: phone layout, camera input, colour scheme and language."""

from __future__ import annotations

import pytest
from browserhelpers import PHONE, WAIT_MS
from playwright.sync_api import Browser, Page, expect

from apertur_ext import Apertur

pytestmark = pytest.mark.browser


def ready(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-state", "ready")


def background(page: Page) -> str:
    colour: str = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    return colour


@pytest.mark.parametrize("width", [320, 390])
def test_phone_layout(browser: Browser, sdk: Apertur, width: int) -> None:
    context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": 740}})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        ready(page, sdk.sessions.create(allowed_mime_types=["image/jpeg", "image/heic"]).upload_url)
        # Nothing wider than the screen, nothing to zoom.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        viewport = page.locator('meta[name="viewport"]')
        expect(viewport).to_have_attribute(
            "content", "width=device-width, initial-scale=1, viewport-fit=cover"
        )
        # Both buttons are full-width, thumb-sized tap targets on a phone.
        for label in ("#take-label", "#choose-label"):
            box = page.locator(label).bounding_box()
            assert box is not None
            assert box["height"] >= 44
            assert box["width"] >= width * 0.7
        camera = page.locator("#take-photo")
        expect(camera).to_have_attribute("capture", "environment")
        expect(camera).to_have_attribute("accept", "image/jpeg,image/heic,.heic,.heif")
        expect(page.locator("#choose-photos")).to_have_attribute("multiple", "")
    finally:
        context.close()


def test_color_scheme_parameter(phone: Page, sdk: Apertur) -> None:
    url = sdk.sessions.create().upload_url
    ready(phone, url + "?colorScheme=dark")
    expect(phone.locator("html")).to_have_attribute("data-theme", "dark")
    assert background(phone) == "rgb(15, 18, 22)"
    ready(phone, url + "?colorScheme=light")
    expect(phone.locator("html")).to_have_attribute("data-theme", "light")
    assert background(phone) == "rgb(244, 245, 247)"


def test_without_a_parameter_the_system_scheme_is_followed(browser: Browser, sdk: Apertur) -> None:
    url = sdk.sessions.create().upload_url
    context = browser.new_context(**PHONE, color_scheme="dark")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        ready(page, url)
        expect(page.locator("html")).to_have_attribute("data-theme", "auto")
        assert background(page) == "rgb(15, 18, 22)"
        ready(page, url + "?colorScheme=light")
        assert background(page) == "rgb(244, 245, 247)"
    finally:
        context.close()


def test_lang_parameter(phone: Page, sdk: Apertur) -> None:
    url = sdk.sessions.create(max_images=5).upload_url
    ready(phone, url + "?lang=fr")
    expect(phone.locator("html")).to_have_attribute("lang", "fr")
    assert phone.title() == "Envoyer des photos"
    expect(phone.locator("h1")).to_have_text("Envoyer des photos")
    expect(phone.locator("#take-label")).to_have_text("Prendre une photo")
    expect(phone.locator("#choose-label")).to_have_text("Choisir des photos")
    expect(phone.locator("#limits")).to_contain_text("Au plus 5 photos dans cette session.")
    ready(phone, url + "?lang=en")
    expect(phone.locator("h1")).to_have_text("Send photos")
    expect(phone.locator("#take-label")).to_have_text("Take a photo")
    ready(phone, url + "?lang=xx")  # unknown: the browser's language, here English
    expect(phone.locator("html")).to_have_attribute("lang", "en")


def test_the_browser_language_is_the_default(browser: Browser, sdk: Apertur) -> None:
    context = browser.new_context(**PHONE, locale="fr-CA")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        page.goto(sdk.sessions.create(password="x").upload_url)
        expect(page.locator("body")).to_have_attribute("data-state", "password")
        expect(page.locator("#password-form h2")).to_have_text(
            "Cette session est protégée par un mot de passe"
        )
        expect(page.locator("#password-submit")).to_have_text("Continuer")
    finally:
        context.close()
