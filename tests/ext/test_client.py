"""Apertur / AsyncApertur configuration: credentials, environment, base URL, timeouts, repr."""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterator

import httpx
import pytest

from apertur_ext import Apertur, AsyncApertur, InvalidInputError
from apertur_ext._core.config import DEFAULT_TIMEOUT, LIVE_BASE_URL, SANDBOX_BASE_URL, user_agent

SECRET_KEY = "aptr_live_SECRETkey123"
SECRET_TOKEN = "aptr_oauth_SECRETtoken456"
SECRET_SIGNING = "signing-SECRET-789"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("APERTUR_API_KEY", "APERTUR_BASE_URL", "APERTUR_LOG"):
        monkeypatch.delenv(name, raising=False)


Seen = list[httpx.Request]


def _mock(
    seen: Seen, respond: Callable[[httpx.Request], httpx.Response] | None = None
) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if respond is not None:
            return respond(request)
        return httpx.Response(200, json={"publicKey": "pem"})

    return httpx.Client(transport=httpx.MockTransport(handler))


@pytest.fixture
def seen() -> Iterator[Seen]:
    return []


def test_api_key_wins_over_oauth_token(seen: Seen) -> None:
    client = Apertur(SECRET_KEY, oauth_token=SECRET_TOKEN, http_client=_mock(seen))
    client.encryption.get_server_key()
    assert seen[0].headers["authorization"] == f"Bearer {SECRET_KEY}"


def test_oauth_token_alone(seen: Seen) -> None:
    client = Apertur(oauth_token=SECRET_TOKEN, http_client=_mock(seen))
    client.encryption.get_server_key()
    assert seen[0].headers["authorization"] == f"Bearer {SECRET_TOKEN}"
    assert client.environment == "live"


def test_environment_variables(monkeypatch: pytest.MonkeyPatch, seen: Seen) -> None:
    monkeypatch.setenv("APERTUR_API_KEY", "aptr_test_fromenv")
    monkeypatch.setenv("APERTUR_BASE_URL", "http://localhost:9999/")
    client = Apertur(http_client=_mock(seen))
    assert client.environment == "test"
    assert client.base_url == "http://localhost:9999"
    client.encryption.get_server_key()
    assert str(seen[0].url) == "http://localhost:9999/api/v1/encryption/server-key"
    assert seen[0].headers["authorization"] == "Bearer aptr_test_fromenv"


def test_explicit_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APERTUR_API_KEY", "aptr_test_fromenv")
    monkeypatch.setenv("APERTUR_BASE_URL", "http://localhost:9999")
    client = Apertur("aptr_live_explicit", base_url="https://gw.example")
    assert client.base_url == "https://gw.example"
    assert client.environment == "live"


@pytest.mark.parametrize(
    ("token", "env", "url"),
    [
        ("aptr_test_abc", "test", SANDBOX_BASE_URL),
        ("aptr_live_abc", "live", LIVE_BASE_URL),
        ("aptr_abc", "live", LIVE_BASE_URL),
    ],
)
def test_environment_from_the_key_prefix(token: str, env: str, url: str) -> None:
    client = Apertur(token)
    assert client.environment == env
    assert client.env == env
    assert client.base_url == url


def test_oauth_token_prefix_picks_the_environment_too() -> None:
    assert Apertur(oauth_token="aptr_test_tok").base_url == SANDBOX_BASE_URL


def test_base_url_keeps_its_path_prefix(seen: Seen) -> None:
    client = Apertur(SECRET_KEY, base_url="https://gw.example/apertur//", http_client=_mock(seen))
    assert client.base_url == "https://gw.example/apertur"
    client.encryption.get_server_key()
    assert str(seen[0].url) == "https://gw.example/apertur/api/v1/encryption/server-key"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com",
        "not a url",
        "https://",
        "https://example.com/?x=1",
        "https://u:p@x.io",
        "",
    ],
)
def test_bad_base_urls(url: str) -> None:
    with pytest.raises(InvalidInputError):
        Apertur(SECRET_KEY, base_url=url)


def test_no_credentials() -> None:
    with pytest.raises(InvalidInputError, match="APERTUR_API_KEY"):
        Apertur()
    with pytest.raises(InvalidInputError):
        AsyncApertur(api_key="", oauth_token="")


@pytest.mark.parametrize("bad", ["aptr_live_x\nInjected: 1", "aptr live", "aptr_live_é"])
def test_unsendable_credentials_are_refused_without_echo(bad: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        Apertur(bad)
    assert bad.strip() not in str(info.value)


def test_timeouts() -> None:
    assert Apertur(SECRET_KEY)._config.timeout == DEFAULT_TIMEOUT
    assert DEFAULT_TIMEOUT.connect == 10
    assert DEFAULT_TIMEOUT.read == 60
    assert Apertur(SECRET_KEY, timeout=5)._config.timeout == httpx.Timeout(5.0)
    custom = httpx.Timeout(3.0, read=30.0)
    assert Apertur(SECRET_KEY, timeout=custom)._config.timeout == custom


@pytest.mark.parametrize(
    "timeout",
    [0, -1, math.nan, math.inf, True, "5", httpx.Timeout(None), httpx.Timeout(5, read=None)],
)
def test_bad_timeouts(timeout: object) -> None:
    with pytest.raises(InvalidInputError):
        Apertur(SECRET_KEY, timeout=timeout)  # type: ignore[arg-type]


@pytest.mark.parametrize("max_retries", [-1, True, 1.5, "2"])
def test_bad_max_retries(max_retries: object) -> None:
    with pytest.raises(InvalidInputError):
        Apertur(SECRET_KEY, max_retries=max_retries)  # type: ignore[arg-type]


def test_bad_signing_secret() -> None:
    with pytest.raises(InvalidInputError):
        Apertur(SECRET_KEY, signing_secret="  ")


@pytest.mark.parametrize("cls", [Apertur, AsyncApertur])
def test_no_secret_in_any_repr(cls: type) -> None:
    client = cls(SECRET_KEY, oauth_token=SECRET_TOKEN, signing_secret=SECRET_SIGNING)
    texts = [
        repr(client),
        str(client),
        repr(client._config),
        repr(client._core),
        repr(client._http.auth),
        repr(client.sessions),
        repr(client._core.api),
        repr(vars(client)),
    ]
    for text in texts:
        for secret in (SECRET_KEY, SECRET_TOKEN, SECRET_SIGNING, "SECRET"):
            assert secret not in text, text
    assert "sandbox" not in repr(client)
    assert "environment='live'" in repr(client)


def test_user_agent_and_context_manager(seen: Seen) -> None:
    mock = _mock(seen)
    with Apertur(SECRET_KEY, http_client=mock) as client:
        client.encryption.get_server_key()
    assert seen[0].headers["user-agent"] == user_agent()
    assert user_agent().startswith("apertur-client/")
    assert " python/3." in user_agent()
    assert client._http.is_closed
    assert not mock.is_closed  # the caller's client stays open


async def _async_roundtrip() -> None:
    seen: Seen = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"publicKey": "pem"})

    mock = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AsyncApertur(SECRET_KEY, http_client=mock) as client:
        assert (await client.encryption.get_server_key()).public_key == "pem"
    assert seen[0].headers["authorization"] == f"Bearer {SECRET_KEY}"
    assert client._http.is_closed
    assert not mock.is_closed
    await mock.aclose()


def test_async_client_roundtrip() -> None:
    import anyio

    anyio.run(_async_roundtrip)


def test_namespaces_are_lazy_and_cached() -> None:
    client = Apertur(SECRET_KEY)
    assert "sessions" not in vars(client)
    assert client.sessions is client.sessions
    names = ["sessions", "upload", "uploads", "polling", "destinations", "keys", "webhooks"]
    for name in [*names, "encryption", "stats", "events"]:
        namespace = getattr(client, name)
        assert type(namespace).__name__ == name.title()  # e.g. client.keys is a Keys
        assert namespace._requester is client._requester  # bound to this client's request path
        assert getattr(client, name) is namespace


@pytest.mark.parametrize("cls", [Apertur, AsyncApertur])
def test_each_namespace_is_its_hand_written_subclass_else_the_generated_class(cls: type) -> None:
    """The clients list the namespaces with hand-written methods; the generated ``Namespaces``
    build those from their subclass, every other one from the generated class."""
    client = cls(SECRET_KEY)
    prefix = "" if cls is Apertur else "Async"
    hand_written = {"sessions", "upload", "polling"}
    for tag in [
        *hand_written,
        "destinations",
        "encryption",
        "keys",
        "stats",
        "uploads",
        "webhooks",
    ]:
        name = prefix + tag.capitalize()
        expected = generated = getattr(importlib.import_module(f"apertur_api.api.{tag}"), name)
        if tag in hand_written:
            expected = getattr(importlib.import_module(f"apertur_ext._resources.{tag}"), name)
            assert expected is not generated
            assert issubclass(expected, generated)
        assert type(getattr(client, tag)) is expected
