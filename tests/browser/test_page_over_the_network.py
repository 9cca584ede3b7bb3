"""The page as a phone on the network sees it: plain http to a LAN name, not a secure context.

Browsers only offer WebCrypto to secure contexts (https, or this machine's own loopback
address), so over plain http on the network the page uploads without browser encryption and says
why, and a link that requires encryption refuses to send anything. A host-resolver rule maps the
name ``phone.test`` to 127.0.0.1: the browser treats it as any network address, and no traffic
leaves the machine. The server answers that name because it is told to (``allowed_hosts``), as a
server reached by a LAN name must be (``--allowed-hosts``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browserhelpers import PHONE, WAIT_MS, file_payload, launch, png
from playwright.sync_api import Page, Playwright, expect

from apertur_ext import Apertur
from apertur_local import LocalApertur

pytestmark = pytest.mark.browser


@pytest.fixture
def network_phone(playwright: Playwright) -> Iterator[Page]:
    """A phone-sized page in a Chromium that resolves ``phone.test`` to this machine."""
    browser = launch(playwright, ["--host-resolver-rules=MAP phone.test 127.0.0.1"])
    context = browser.new_context(**PHONE, locale="en-US")
    context.set_default_timeout(WAIT_MS)
    yield context.new_page()
    browser.close()


@pytest.fixture(scope="module")
def lan_server() -> Iterator[LocalApertur]:
    """A server that answers requests addressed to ``phone.test``."""
    with LocalApertur(allowed_hosts=("phone.test",)) as server:
        yield server


@pytest.fixture
def sdk(lan_server: LocalApertur) -> Iterator[Apertur]:
    """The developer's side, on that server."""
    with Apertur(lan_server.api_key, base_url=lan_server.url) as client:
        yield client


def test_a_server_not_told_the_name_refuses_it(
    network_phone: Page, apertur_local: LocalApertur
) -> None:
    """The same page through a name the server was not given: refused (DNS rebinding guard)."""
    network_phone.goto(apertur_local.url.replace("127.0.0.1", "phone.test", 1) + "/u/x")
    expect(network_phone.locator("body")).to_contain_text("HOST_NOT_ALLOWED")
    expect(network_phone.locator("body")).to_contain_text("--allowed-hosts phone.test")


def network_url(upload_url: str) -> str:
    """The same link as a phone on the network would open it (a name, plain http)."""
    return upload_url.replace("127.0.0.1", "phone.test", 1)


def test_plain_uploads_work_and_encryption_is_explained(network_phone: Page, sdk: Apertur) -> None:
    created = sdk.sessions.create(long_polling=True)
    network_phone.goto(network_url(created.upload_url))
    expect(network_phone.locator("body")).to_have_attribute("data-state", "ready")
    assert network_phone.evaluate("() => window.isSecureContext") is False
    expect(network_phone.locator("#encrypt")).to_be_disabled()
    expect(network_phone.locator("#encrypt-hint")).to_have_text(
        "Encryption on this device needs a secure page (https, or this computer's own address)."
    )
    photo = png(seed=41)
    network_phone.set_input_files("#choose-photos", file_payload("lan.png", photo, "image/png"))
    expect(network_phone.locator('#files .file[data-state="done"] .file-status')).to_have_text(
        "Sent"
    )
    [image] = sdk.polling.list(created.id).images
    assert sdk.polling.download(created.id, image.id) == photo


def test_a_link_requiring_encryption_sends_nothing_here(network_phone: Page, sdk: Apertur) -> None:
    created = sdk.sessions.create(long_polling=True)
    network_phone.goto(network_url(created.upload_url) + "?encrypt=1")
    expect(network_phone.locator("body")).to_have_attribute("data-state", "blocked")
    expect(network_phone.locator("#notice-title")).to_have_text("Photos cannot be sent from here")
    expect(network_phone.locator("#picker")).to_be_hidden()
    assert sdk.polling.list(created.id).images == []
