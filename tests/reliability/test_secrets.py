"""Secrets stay secret: the API key, an OAuth token, the request-signing secret and a session
password appear in no log record, ``repr``, exception message or formatted traceback.

Every public method of every namespace of :class:`Apertur` runs against a local server that
checks request signatures, with DEBUG logging on everywhere (pytest's ``caplog``, a handler on
the root, ``apertur``, ``httpx`` and ``httpcore`` loggers, and ``APERTUR_LOG=debug`` writing to
stderr); a subset runs on :class:`AsyncApertur`. Failing calls are provoked with the secrets in
play (wrong key, wrong password, wrong signing secret, unreachable host, bad TLS).

Also: ``Authorization`` never follows a redirect to another host, and TLS certificates are
verified by default.
"""

from __future__ import annotations

import asyncio
import datetime
import io
import ipaddress
import logging
import secrets
import ssl
import threading
import traceback
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from reliability_helpers import make_png, sample_arguments, sdk_operations

from apertur_ext import (
    Apertur,
    AperturError,
    APIConnectionError,
    APIStatusError,
    AsyncApertur,
    AuthenticationError,
    InvalidInputError,
    PermissionDeniedError,
)
from apertur_local import LocalApertur

API_KEY = "aptr_test_" + secrets.token_hex(16)
SIGNING_SECRET = "sig_" + secrets.token_hex(16)
PASSWORD = "pw_" + secrets.token_hex(16)
WRONG_KEY = "aptr_test_" + secrets.token_hex(16)
WRONG_SIGNING = "sig_" + secrets.token_hex(16)
WRONG_PASSWORD = "pw_" + secrets.token_hex(16)
# The OAuth token is a second key minted through the control client (see ``oauth_token``).
LOGGERS = ("", "apertur", "httpx", "httpcore", "apertur_local", "uvicorn", "socketio", "engineio")


def _needles(secret: str) -> list[str]:
    """The secret and its random tail (a visible key prefix of 14 characters is not secret)."""
    return [secret, secret[-20:]]


class Collector(logging.Handler):
    """Formats every record it sees, traceback included."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        self.lines.append(repr(record.args))


class Evidence:
    """Everything that must not contain a secret, with where it came from."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []
        self.errors: list[BaseException] = []

    def add(self, where: str, text: str) -> None:
        self.texts.append((where, text))

    def error(self, where: str, exc: BaseException) -> None:
        self.errors.append(exc)
        self.add(f"{where}: str", str(exc))
        self.add(f"{where}: repr", repr(exc))
        self.add(f"{where}: traceback", "".join(traceback.format_exception(exc)))
        self.add(f"{where}: attributes", repr(vars(exc)))

    def check(self, *secrets_: str) -> None:
        leaks = [
            (where, needle)
            for where, text in self.texts
            for secret in secrets_
            for needle in _needles(secret)
            if needle in text
        ]
        assert leaks == [], leaks[:5]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApertur]:
    with LocalApertur(
        api_key=API_KEY,
        signing_secret=SIGNING_SECRET,
        data_dir=tmp_path_factory.mktemp("secrets") / "data",
    ) as srv:
        yield srv


@pytest.fixture
def oauth_token(server: LocalApertur) -> str:
    """A second credential, minted outside the SDK so no SDK model ever holds it."""
    server.reset()
    response = httpx.post(
        f"{server.url}/api/v1/projects/{server.project_id}/keys",
        json={"label": "oauth stand-in"},
        headers={"Authorization": f"Bearer {API_KEY}", **_signed(server, "POST", b"")},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["plainTextKey"])


def _signed(server: LocalApertur, method: str, body: bytes) -> dict[str, str]:
    from apertur_ext._core.signing import sign_request

    ts = int(datetime.datetime.now(datetime.UTC).timestamp())
    target = f"/api/v1/projects/{server.project_id}/keys"
    body = b'{"label":"oauth stand-in"}'
    return {
        "X-Aptr-Signature": sign_request(SIGNING_SECRET, method, target, body, ts),
        "X-Aptr-Timestamp": str(ts),
        "Content-Type": "application/json",
    }


@pytest.fixture
def evidence(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str], monkeypatch: Any
) -> Iterator[Evidence]:
    """DEBUG logging everywhere; at the end every log line and stdout/stderr is evidence."""
    monkeypatch.setenv("APERTUR_LOG", "debug")  # the SDK's own stderr handler, too
    sdk = logging.getLogger("apertur")
    for handler in [h for h in sdk.handlers if h.get_name() == "apertur-env"]:
        sdk.removeHandler(handler)  # attached earlier to another test's stderr: re-attach
    collector = Collector()
    loggers = [logging.getLogger(name) for name in LOGGERS]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        caplog.set_level(logging.DEBUG, logger=lg.name if lg.name != "root" else None)
        lg.addHandler(collector)
    found = Evidence()
    yield found
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(collector)
        lg.setLevel(level)
    for handler in [h for h in sdk.handlers if h.get_name() == "apertur-env"]:
        sdk.removeHandler(handler)
    out, err = capfd.readouterr()
    for line in collector.lines:
        found.add("log record", line)
    found.add("caplog", caplog.text)
    found.add("stdout", out)
    found.add("stderr", err)
    assert any("apertur" in line for line in collector.lines)  # logging really was on
    assert "sending" in err  # and APERTUR_LOG=debug wrote to stderr


def _reprs(found: Evidence, client: Any) -> None:
    found.add("repr(client)", repr(client))
    found.add("str(client)", str(client))
    for name in dir(type(client)):
        if not name.startswith("_") and isinstance(getattr(type(client), name, None), property):
            found.add(f"client.{name}", repr(getattr(client, name)))
    for internal in ("_config", "_core", "_http"):
        value = getattr(client, internal, None)
        found.add(f"repr(client.{internal})", repr(value))
    http = getattr(client, "_http", None)
    found.add("repr(http.auth)", repr(getattr(http, "auth", None)))
    transport = getattr(http, "_transport", None)  # the signing hook
    found.add("repr(transport sign)", repr(getattr(transport, "_sign", None)))


def namespaces(client: Any) -> dict[str, Any]:
    from functools import cached_property

    return {
        name: getattr(client, name)
        for name in dir(type(client))
        if isinstance(getattr(type(client), name), cached_property)
    }


def public_methods(namespace: Any) -> set[str]:
    return {
        name
        for name in dir(type(namespace))
        if not name.startswith("_") and callable(getattr(type(namespace), name))
    }


class Runner:
    """Calls client methods, keeping results and errors as evidence and noting coverage."""

    def __init__(self, found: Evidence) -> None:
        self.found = found
        self.called: set[str] = set()

    def __call__(
        self, label: str, fn: Callable[[], Any], expect: type[BaseException] | None = None
    ) -> Any:
        self.called.add(label)
        try:
            result = fn()
        except AperturError as exc:
            result = exc
        if isinstance(result, AperturError):
            self.found.error(label, result)
            assert expect is not None, (label, result)
            assert isinstance(result, expect), (label, result)
            return None
        assert expect is None or expect is AperturError, (label, "no error raised")
        self.found.add(f"{label}: result repr", repr(result))
        to_dict = getattr(result, "to_dict", None)
        if callable(to_dict):
            self.found.add(f"{label}: result dict", repr(to_dict()))
        return result


def exercise_sync(client: Apertur, server: LocalApertur, run: Runner, tmp_path: Path) -> None:
    project = server.project_id
    created = run(
        "sessions.create",
        lambda: client.sessions.create(
            password=PASSWORD, long_polling=True, max_images=50, tags=["t"]
        ),
    )
    uuid = created.id
    run("sessions.get", lambda: client.sessions.get(uuid))
    run("sessions.update", lambda: client.sessions.update(uuid, max_images=40, password=PASSWORD))
    run("sessions.list", lambda: client.sessions.list(page=1, page_size=5))
    run("sessions.list_all", lambda: list(client.sessions.list_all(page_size=2)))
    run("sessions.recent", lambda: client.sessions.recent())
    run("sessions.verify_password", lambda: client.sessions.verify_password(uuid, PASSWORD))
    run("sessions.verify_password", lambda: client.sessions.verify_password(uuid, WRONG_PASSWORD))
    run(
        "sessions.share",
        lambda: client.sessions.share(uuid, channel="email", recipient="a@example.com"),
    )
    run("sessions.qr", lambda: client.sessions.qr(uuid, to=tmp_path / "qr.png"))
    run(
        "upload.image",
        lambda: client.upload.image(uuid, make_png(1), filename="a.png", password=PASSWORD),
    )
    run(
        "upload.image",
        lambda: client.upload.image(uuid, make_png(2), password=WRONG_PASSWORD),
        PermissionDeniedError,
    )
    run(
        "upload.image",
        lambda: client.upload.image(uuid, io.BytesIO(make_png(3)), password=None),
        PermissionDeniedError,
    )
    run(
        "upload.image_encrypted",
        lambda: client.upload.image_encrypted(
            uuid, make_png(4), filename="e.png", password=PASSWORD
        ),
    )
    outcomes = run(
        "upload.images",
        lambda: client.upload.images(uuid, [make_png(5), make_png(6)], password=PASSWORD),
    )
    refused = client.upload.images(uuid, [make_png(7)], password=WRONG_PASSWORD, encrypt=True)
    assert outcomes is not None
    assert isinstance(refused[0].error, PermissionDeniedError)
    run.found.error("upload.images: a refused outcome", refused[0].error)
    run.found.add("upload.images: outcomes repr", repr([*outcomes, *refused]))
    run("sessions.delivery_status", lambda: client.sessions.delivery_status(uuid))
    run(
        "sessions.wait_for_delivery",
        lambda: client.sessions.wait_for_delivery(uuid, lambda status: True, timeout=10),
    )
    images = run("polling.list", lambda: client.polling.list(uuid)).images
    run("polling.download", lambda: client.polling.download(uuid, images[0].id))
    run("polling.ack", lambda: client.polling.ack(uuid, images[0].id))
    handled: list[str] = []
    run(
        "polling.poll_and_process",
        lambda: client.polling.poll_and_process(
            uuid,
            lambda image, data: handled.append(image.id),
            interval=0.01,
            max_images=1,
            timeout=10,
        ),
    )
    rows = run("uploads.list", lambda: client.uploads.list(page=1, page_size=5))
    run("uploads.list_all", lambda: list(client.uploads.list_all(page_size=2)))
    run("uploads.recent", lambda: client.uploads.recent(limit=5))
    run("uploads.download", lambda: client.uploads.download(rows.data[0].id))
    dest = run(
        "destinations.create",
        lambda: client.destinations.create(
            project, type="s3", name="d", config={"bucket": "b", "region": "r"}
        ),
    )
    run("destinations.list", lambda: client.destinations.list(project))
    run("destinations.update", lambda: client.destinations.update(project, dest.id, name="d2"))
    run("destinations.test", lambda: client.destinations.test(project, dest.id))
    key = run("keys.create", lambda: client.keys.create(project, label="spare"))
    run("keys.list", lambda: client.keys.list(project))
    run("keys.update", lambda: client.keys.update(project, key.key.id, label="spare2"))
    run("keys.set_destinations", lambda: client.keys.set_destinations(key.key.id, [dest.id]))
    run("keys.delete", lambda: client.keys.delete(project, key.key.id))
    run("destinations.delete", lambda: client.destinations.delete(project, dest.id))
    hook = run(
        "webhooks.create",
        lambda: client.webhooks.create(
            project, url="http://127.0.0.1:9/hook", topics=["project.upload.*"]
        ),
    )
    run("webhooks.list", lambda: client.webhooks.list(project))
    run(
        "webhooks.update",
        lambda: client.webhooks.update(project, hook.id, url="http://127.0.0.1:9/other"),
    )
    run("webhooks.test", lambda: client.webhooks.test(project, hook.id))
    page = run("webhooks.deliveries", lambda: client.webhooks.deliveries(project, hook.id))
    if page.deliveries:
        run(
            "webhooks.retry_delivery",
            lambda: client.webhooks.retry_delivery(project, hook.id, page.deliveries[0].id),
        )
    else:
        run(
            "webhooks.retry_delivery",
            lambda: client.webhooks.retry_delivery(project, hook.id, "del_x"),
            APIStatusError,
        )
    run("webhooks.delete", lambda: client.webhooks.delete(project, hook.id))
    run("encryption.get_server_key", lambda: client.encryption.get_server_key())
    run("stats.get", lambda: client.stats.get())
    sub = run("events.subscribe", lambda: client.events.subscribe(uuid, connect=False))
    run.found.add("repr(subscription)", repr(sub))


def test_no_secret_in_logs_reprs_errors_or_tracebacks(
    server: LocalApertur, oauth_token: str, evidence: Evidence, tmp_path: Path
) -> None:
    run = Runner(evidence)
    with Apertur(api_key=API_KEY, base_url=server.url, signing_secret=SIGNING_SECRET) as client:
        exercise_sync(client, server, run, tmp_path)
        # Operations the flow above does not script (new in openapi.yaml) run with the spec's
        # examples; an error answer is evidence too.
        ids = {"uuid": client.sessions.create().id, "projectId": server.project_id}
        for op in sdk_operations():
            label = f"{op.namespace}.{op.sdk_method}"
            if label not in run.called:
                kwargs = sample_arguments(op, ids)
                run(label, lambda op=op, kwargs=kwargs: op.bound(client)(**kwargs), AperturError)
        _reprs(evidence, client)
        for name, namespace in namespaces(client).items():
            evidence.add(f"repr(client.{name})", repr(namespace))
        expected = {f"{n}.{m}" for n, ns in namespaces(client).items() for m in public_methods(ns)}
    assert expected - run.called == set()  # every public method ran

    with Apertur(
        oauth_token=oauth_token, base_url=server.url, signing_secret=SIGNING_SECRET
    ) as oauth:
        run("oauth stats.get", lambda: oauth.stats.get())
        run("oauth sessions.create", lambda: oauth.sessions.create(password=PASSWORD))
        _reprs(evidence, oauth)

    # Failures with the secrets in play.
    with Apertur(api_key=WRONG_KEY, base_url=server.url, signing_secret=SIGNING_SECRET) as wrong:
        run("wrong key", lambda: wrong.stats.get(), AuthenticationError)
        _reprs(evidence, wrong)
    with Apertur(api_key=API_KEY, base_url=server.url, signing_secret=WRONG_SIGNING) as badsig:
        run("wrong signing secret", lambda: badsig.stats.get(), AuthenticationError)
        _reprs(evidence, badsig)
    with Apertur(api_key=API_KEY, base_url="http://127.0.0.1:9", max_retries=0) as down:
        run("unreachable", lambda: down.stats.get(), APIConnectionError)
    for bad in (API_KEY + " x", API_KEY + "\x00", "é" + API_KEY):
        run(
            "malformed key",
            lambda bad=bad: Apertur(api_key=bad, base_url=server.url),
            InvalidInputError,
        )  # type: ignore[misc]
    run(
        "empty signing secret",
        lambda: Apertur(api_key=API_KEY, base_url=server.url, signing_secret=" "),
        InvalidInputError,
    )

    assert len(evidence.errors) >= 7
    evidence.check(
        API_KEY, oauth_token, SIGNING_SECRET, PASSWORD, WRONG_KEY, WRONG_SIGNING, WRONG_PASSWORD
    )


def test_async_subset_leaks_nothing(
    server: LocalApertur, oauth_token: str, evidence: Evidence
) -> None:
    run = Runner(evidence)

    async def main() -> None:
        async with AsyncApertur(
            api_key=API_KEY, base_url=server.url, signing_secret=SIGNING_SECRET
        ) as client:
            created = await client.sessions.create(password=PASSWORD, long_polling=True)
            evidence.add("async create", repr(created))
            evidence.add(
                "async verify", repr(await client.sessions.verify_password(created.id, PASSWORD))
            )
            result = await client.upload.image(created.id, make_png(9), password=PASSWORD)
            evidence.add("async upload", repr(result))
            images = (await client.polling.list(created.id)).images
            await client.polling.download(created.id, images[0].id)
            evidence.add("async ack", repr(await client.polling.ack(created.id, images[0].id)))
            evidence.add("async key", repr(await client.encryption.get_server_key()))
            try:
                await client.upload.image(created.id, make_png(10), password=WRONG_PASSWORD)
            except PermissionDeniedError as exc:
                evidence.error("async wrong password", exc)
            _reprs(evidence, client)
            for name, namespace in namespaces(client).items():
                evidence.add(f"repr(async client.{name})", repr(namespace))
        async with AsyncApertur(
            oauth_token=oauth_token, base_url=server.url, signing_secret=SIGNING_SECRET
        ) as oauth:
            evidence.add("async oauth stats", repr(await oauth.stats.get()))
        async with AsyncApertur(api_key=WRONG_KEY, base_url=server.url) as wrong:
            try:
                await wrong.stats.get()
            except AuthenticationError as exc:
                evidence.error("async wrong key", exc)

    asyncio.run(main())
    assert len(evidence.errors) == 2
    evidence.check(API_KEY, oauth_token, SIGNING_SECRET, PASSWORD, WRONG_KEY, WRONG_PASSWORD)
    del run


def test_the_check_catches_a_leak() -> None:
    found = Evidence()
    found.add("somewhere", f"Authorization: Bearer {API_KEY}")
    with pytest.raises(AssertionError):
        found.check(API_KEY)
    found = Evidence()
    found.add("somewhere", "key ..." + API_KEY[-20:])  # a tail is a leak too
    with pytest.raises(AssertionError):
        found.check(API_KEY)


# --- redirects: the token never goes to another host -----------------------------------------


class _Recording(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.seen: list[dict[str, str]] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def _servers() -> tuple[_Recording, _Recording]:
    class Other(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.server.seen.append({k.lower(): v for k, v in self.headers.items()})  # type: ignore[attr-defined]
            body = b'{"totalSessions": 0}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args: Any) -> None:
            pass

    other = _Recording(Other)

    class Redirector(BaseHTTPRequestHandler):
        def _redirect(self) -> None:
            self.server.seen.append({k.lower(): v for k, v in self.headers.items()})  # type: ignore[attr-defined]
            status = 307 if self.command == "POST" else 302
            self.send_response(status)
            self.send_header("Location", other.url + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = _redirect

        def log_message(self, *args: Any) -> None:
            pass

    return _Recording(Redirector), other


@pytest.mark.parametrize(
    "caller_follows", [False, True], ids=["sdk-client", "caller-client-follows-redirects"]
)
def test_authorization_never_follows_a_redirect_to_another_host(caller_follows: bool) -> None:
    redirector, other = _servers()
    http = httpx.Client(follow_redirects=True) if caller_follows else None
    try:
        with Apertur(
            api_key=API_KEY, base_url=redirector.url, http_client=http, max_retries=0
        ) as client:
            with pytest.raises(APIStatusError) as info:
                client.stats.get()
            assert info.value.status_code == 302
            with pytest.raises(APIStatusError) as info:
                client.sessions.create()
            assert info.value.status_code == 307
        assert [h.get("authorization") for h in redirector.seen] == [f"Bearer {API_KEY}"] * 2
        assert all("authorization" not in h for h in other.seen)
        assert other.seen == []  # not followed at all
    finally:
        if http is not None:
            http.close()
        redirector.stop()
        other.stop()


# --- TLS: verified by default ----------------------------------------------------------------


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def test_tls_is_verified_by_default(tmp_path: Path, evidence: Evidence) -> None:
    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.server.seen.append(dict(self.headers.items()))  # type: ignore[attr-defined]
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    cert, key = _self_signed(tmp_path)
    server = _Recording(Answer)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    url = f"https://127.0.0.1:{server.server_address[1]}"
    try:
        with Apertur(api_key=API_KEY, base_url=url, max_retries=0) as client:
            with pytest.raises(APIConnectionError) as info:
                client.stats.get()
            evidence.error("tls", info.value)
            assert "CERTIFICATE_VERIFY_FAILED" in repr(info.value.__cause__)
            # The default transport's context: certificates and host names are checked.
            inner = client._http._transport._sync_inner()  # type: ignore[attr-defined]
            ctx = inner._pool._ssl_context
            assert ctx.verify_mode == ssl.CERT_REQUIRED
            assert ctx.check_hostname is True
        assert server.seen == []  # no request (and no key) went over the unverified channel
        # Control: trusting the certificate explicitly (through http_client) works.
        trusted = httpx.Client(verify=ssl.create_default_context(cafile=str(cert)))
        with Apertur(api_key=API_KEY, base_url=url, http_client=trusted, max_retries=0) as ok:
            ok.stats.get()  # the handshake succeeded
        trusted.close()
        assert len(server.seen) == 1
    finally:
        server.stop()
    evidence.check(API_KEY)


# --- the local server's own objects ----------------------------------------------------------


def test_the_local_servers_objects_keep_secrets_out_of_their_reprs(tmp_path: Path) -> None:
    """The config, the server, its state and every stored record: no credential in a repr."""
    control_token = "ctl_" + secrets.token_hex(16)
    destination_secret = "dst_" + secrets.token_hex(16)
    header_token = "hdr_" + secrets.token_hex(16)
    with LocalApertur(
        api_key=API_KEY,
        signing_secret=SIGNING_SECRET,
        control_token=control_token,
        data_dir=tmp_path / "data",
    ) as local:
        assert local.app is not None
        with Apertur(api_key=API_KEY, base_url=local.url, signing_secret=SIGNING_SECRET) as client:
            project = local.project_id
            client.sessions.create(password=PASSWORD)
            hook = client.webhooks.create(
                project,
                url="http://127.0.0.1:9/hook",
                topics=["image.*"],
                custom_headers={"Authorization": f"Bearer {header_token}"},
            )
            hook_secret = str(hook.secret)
            client.destinations.create(
                project,
                type="webhook",
                name="receiver",
                config={"url": "http://127.0.0.1:9/in", "secret": destination_secret},
            )
        state = local.app.state
        hashes_ = [k.key_hash for k in state.tables.keys.values()]
        hashes_ += [s.password_hash for s in state.tables.sessions.values() if s.password_hash]
        assert len(hashes_) == 2
        found = Evidence()
        found.add("repr(config)", repr(local.config))
        found.add("repr(server)", repr(local))
        found.add("repr(state.ctx)", repr(state.ctx))  # the config and every table
        found.add("repr(tables)", repr(state.tables))
    found.check(
        API_KEY,
        SIGNING_SECRET,
        control_token,
        PASSWORD,
        hook_secret,
        destination_secret,
        header_token,
        *hashes_,
    )


def test_every_credential_field_of_the_local_config_is_marked_secret() -> None:
    """A new text field named like a credential must be marked too (it stays out of reprs, and
    ``apertur local serve --help`` shows its default only when it is the published one). A
    number such as ``password_attempts`` cannot hold one."""
    import re
    import typing

    import attrs

    from apertur_local import SECRET, LocalConfig

    credential = re.compile(r"key|secret|token|password")
    hints = typing.get_type_hints(LocalConfig)
    text = {name for name, hint in hints.items() if str in (hint, *typing.get_args(hint))}
    named = {f.name for f in attrs.fields(LocalConfig) if credential.search(f.name)} & text
    assert "password_attempts" not in named
    marked = {f.name for f in attrs.fields(LocalConfig) if SECRET in f.metadata}
    assert named == marked == {"api_key", "signing_secret", "control_token"}
    assert all(not f.repr for f in attrs.fields(LocalConfig) if f.name in marked)
