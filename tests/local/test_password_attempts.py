"""The bound on guessing a session's password from the upload page (no API key).

Each session accepts ``password_attempts`` (10) wrong passwords a minute from requests without a
key, on verify-password and upload together; beyond, both answer 429 ``RATE_LIMITED`` with
``Retry-After``, even to the right password. The count belongs to the session, not to a
connection or a client address, and a request with the key is neither counted nor limited.
"""

from __future__ import annotations

import httpx
import pytest
from localhelpers import create_session, make_png

from apertur_local import LocalApertur, LocalConfig
from apertur_local._errors import ApiError
from apertur_local._password_attempts import PasswordAttempts

LIMIT = LocalConfig().password_attempts


def anonymous(server: LocalApertur, source: str = "127.0.0.1") -> httpx.Client:
    """A new connection without a key, from ``source`` (any 127.x address reaches loopback)."""
    transport = httpx.HTTPTransport(local_address=source)
    return httpx.Client(base_url=server.url, transport=transport, trust_env=False, timeout=30)


def verify(client: httpx.Client, sid: str, password: str) -> httpx.Response:
    return client.post(f"/api/v1/upload/{sid}/verify-password", json={"password": password})


def page_upload(client: httpx.Client, sid: str, password: str) -> httpx.Response:
    return client.post(
        f"/api/v1/upload/{sid}/images",
        files={"file": ("photo.png", make_png(), "image/png")},
        headers={"x-session-password": password},
    )


def assert_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["code"] == "RATE_LIMITED"
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "s3cr3t" not in response.text


def test_wrong_passwords_beyond_the_bound_get_429_even_for_the_right_one(
    apertur_local: LocalApertur, api: httpx.Client
) -> None:
    sid = create_session(api, password="s3cr3t", long_polling=True)
    other = create_session(api, password="s3cr3t")
    # Every guess on a new connection, half of them from another client address, spread over
    # both routes: reconnecting or moving does not start a new count.
    for attempt in range(LIMIT):
        with anonymous(apertur_local, "127.0.0.1" if attempt % 2 else "127.0.0.2") as page:
            if attempt % 3:
                assert verify(page, sid, f"guess-{attempt}").json() == {"valid": False}
            else:
                assert page_upload(page, sid, f"guess-{attempt}").status_code == 403

    with anonymous(apertur_local, "127.0.0.3") as page:
        assert_limited(verify(page, sid, "another-guess"))
        assert_limited(verify(page, sid, "s3cr3t"))  # answering it would confirm the guess
        assert_limited(page_upload(page, sid, "s3cr3t"))
        # Another session has its own count.
        assert verify(page, other, "s3cr3t").json() == {"valid": True}
    assert api.get(f"/api/v1/upload-sessions/{sid}/poll").json()["images"] == []

    # The key's holder owns the session: not limited, not counted.
    assert verify(api, sid, "wrong").json() == {"valid": False}
    assert verify(api, sid, "s3cr3t").json() == {"valid": True}
    assert page_upload(api, sid, "s3cr3t").status_code == 201

    # Once the failures leave the one-minute window, the page works again.
    moved = httpx.post(apertur_local.url + "/_local/clock", json={"advance": 61})
    assert moved.status_code == 200
    with anonymous(apertur_local) as page:
        assert verify(page, sid, "s3cr3t").json() == {"valid": True}
        assert page_upload(page, sid, "s3cr3t").status_code == 201


def test_right_passwords_and_missing_ones_are_not_counted(
    apertur_local: LocalApertur, api: httpx.Client
) -> None:
    sid = create_session(api, password="s3cr3t")
    with anonymous(apertur_local) as page:
        for _ in range(LIMIT * 2):
            assert verify(page, sid, "s3cr3t").json() == {"valid": True}
            assert (
                page.post(  # no password at all: 403, nothing was guessed
                    f"/api/v1/upload/{sid}/images",
                    files={"file": ("photo.png", make_png(), "image/png")},
                ).status_code
                == 403
            )
        for attempt in range(LIMIT):
            assert verify(page, sid, f"guess-{attempt}").json() == {"valid": False}
        assert_limited(verify(page, sid, "s3cr3t"))


def test_a_reset_forgets_the_failures(apertur_local: LocalApertur, api: httpx.Client) -> None:
    sid = create_session(api, password="s3cr3t")
    with anonymous(apertur_local) as page:
        for attempt in range(LIMIT):
            verify(page, sid, f"guess-{attempt}")
        assert_limited(verify(page, sid, "s3cr3t"))
    assert api.post("/_local/reset").status_code == 200
    sid = create_session(api, password="s3cr3t")
    with anonymous(apertur_local) as page:
        assert verify(page, sid, "s3cr3t").json() == {"valid": True}


def test_the_window_slides_one_failure_at_a_time() -> None:
    now = [1000.0]
    attempts = PasswordAttempts(3, lambda: now[0], window=60.0)
    for _ in range(3):
        attempts.check("s")
        attempts.failed("s")
        now[0] += 10
    with pytest.raises(ApiError, match="try again in 30 s") as refused:
        attempts.check("s")  # the first failure (t=1000) leaves the window at t=1060; now 1030
    assert (refused.value.status, refused.value.code) == (429, "RATE_LIMITED")
    assert refused.value.headers == {"Retry-After": "30"}
    now[0] = 1060.0
    attempts.check("s")  # one slot free again, not three
    attempts.failed("s")
    with pytest.raises(ApiError, match="try again in 10 s"):
        attempts.check("s")  # the oldest left is t=1010


@pytest.mark.parametrize("value", [0, -1])
def test_the_bound_is_at_least_one(value: int) -> None:
    with pytest.raises(ValueError, match="password attempts must be at least 1"):
        LocalConfig(password_attempts=value)
