"""An API change that only adds fields or plain endpoints reaches the clients through the generator.

On a temporary copy of ``openapi.yaml`` and ``codegen/``, this adds an optional request field
(``label`` on session creation), an optional response field (``archivedAt`` on a session), a new
endpoint (``POST /api/v1/upload-sessions/{uuid}/archive``) and a new paged list (which gets its
``list_all`` twin), runs the generator there exactly as ``make regenerate`` does, and then — in a
subprocess that imports that generated package with this checkout's unchanged ``apertur_ext`` —
checks that ``Apertur`` and ``AsyncApertur`` expose all of them and send the right requests (over ``httpx.MockTransport``: the local server does not
know the new endpoint). An event-stream operation added alongside is skipped (no method is
generated for it) without breaking the rest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]

ARCHIVE = {
    "post": {
        "operationId": "archiveSession",
        "tags": ["sessions"],
        "summary": "Archive a session",
        "description": "Stops the session and keeps its images.",
        "parameters": [{"$ref": "#/components/parameters/SessionUuid"}],
        "responses": {
            "200": {
                "description": "The archived session.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Session"}}
                },
            },
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "404": {"$ref": "#/components/responses/NotFound"},
            "429": {"$ref": "#/components/responses/TooManyRequests"},
            "500": {"$ref": "#/components/responses/ServerError"},
        },
    }
}

# A new paged list: its ``list_all`` twin (here ``list_archived_sessions_all``) is generated too.
ARCHIVED = {
    "get": {
        "operationId": "listArchivedSessions",
        "tags": ["sessions"],
        "summary": "List the archived sessions, one page at a time",
        "parameters": [
            {"$ref": "#/components/parameters/Page"},
            {"$ref": "#/components/parameters/PageSize"},
        ],
        "responses": {
            "200": {
                "description": "One page of archived sessions.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/SessionsPage"}}
                },
            },
            "401": {"$ref": "#/components/responses/Unauthorized"},
        },
    }
}

# An event stream: no method can be generated for it (it is hand-written when the SDK has one), and
# it must not break the generation of the rest.
EVENTS = {
    "get": {
        "operationId": "streamSessionEvents",
        "tags": ["sessions"],
        "summary": "The session's events as they happen",
        "parameters": [{"$ref": "#/components/parameters/SessionUuid"}],
        "responses": {
            "200": {
                "description": "Server-sent events.",
                "content": {"text/event-stream": {"schema": {"type": "string"}}},
            },
            "401": {"$ref": "#/components/responses/Unauthorized"},
        },
    }
}

CHECK = textwrap.dedent(
    """
    import asyncio, inspect, json
    import httpx
    import apertur_api
    from apertur_ext import Apertur, AsyncApertur

    assert apertur_api.__file__.startswith(GENERATED), apertur_api.__file__
    seen = []
    SESSION = {"id": "s1", "status": "active", "archivedAt": "2026-12-24T18:00:00Z"}
    CREATED = {"id": "s1", "uuid": "s1", "upload_url": "https://u/s1"}

    def answer(request):
        if request.url.path == "/api/v1/archived-sessions":
            page = int(request.url.params["page"])
            rows = [{"id": f"a{page}"}]
            return httpx.Response(200, json={"data": rows, "total": 2, "page": page,
                                             "pageSize": 1, "totalPages": 2})
        seen.append((request.method, request.url.path, request.content))
        if request.url.path.endswith("/upload-sessions"):
            return httpx.Response(201, json=CREATED)
        return httpx.Response(200, json=SESSION)

    def check_new_surface(client):
        assert "label" in inspect.signature(client.sessions.create).parameters
        assert callable(client.sessions.archive_session)

    def check_requests(label, uuid):
        create, archive, get = seen[-3:]
        assert create[:2] == ("POST", "/api/v1/upload-sessions"), create
        assert json.loads(create[2]) == {"label": label, "max_images": 2}, create
        assert archive[:2] == ("POST", f"/api/v1/upload-sessions/{uuid}/archive"), archive
        assert get[:2] == ("GET", f"/api/v1/upload/{uuid}/session"), get

    transport = httpx.MockTransport(answer)
    options = {"base_url": "https://api.test"}

    with Apertur("aptr_live_x", http_client=httpx.Client(transport=transport), **options) as c:
        check_new_surface(c)
        c.sessions.create(label="spring", max_images=2)
        assert c.sessions.archive_session("s1").archived_at.year == 2026
        assert c.sessions.get("s1").archived_at.day == 24
        check_requests("spring", "s1")
        assert [row.id for row in c.sessions.list_archived_sessions_all()] == ["a1", "a2"]

    async def main():
        http = httpx.AsyncClient(transport=transport)
        async with AsyncApertur("aptr_live_x", http_client=http, **options) as c:
            check_new_surface(c)
            await c.sessions.create(label="autumn", max_images=2)
            assert (await c.sessions.archive_session("s2")).archived_at.year == 2026
            assert (await c.sessions.get("s2")).archived_at.day == 24
            check_requests("autumn", "s2")
            rows = [row.id async for row in c.sessions.list_archived_sessions_all()]
            assert rows == ["a1", "a2"]

    asyncio.run(main())
    print("ok")
    """
)


def _changed_spec(spec: dict[str, Any]) -> dict[str, Any]:
    schemas = spec["components"]["schemas"]
    schemas["CreateSessionRequest"]["properties"]["label"] = {
        "type": "string",
        "description": "A name for the session, shown in the dashboard.",
        "example": "spring",
    }
    schemas["Session"]["properties"]["archivedAt"] = {
        "type": "string",
        "format": "date-time",
        "example": "2026-12-24T18:00:00Z",
    }
    spec["paths"]["/api/v1/upload-sessions/{uuid}/archive"] = ARCHIVE
    spec["paths"]["/api/v1/archived-sessions"] = ARCHIVED
    spec["paths"]["/api/v1/upload-sessions/{uuid}/events"] = EVENTS
    return spec


def test_added_fields_and_endpoint_reach_both_clients_with_no_hand_edit(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "codegen", tmp_path / "codegen")
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text("utf-8"))
    changed = yaml.safe_dump(_changed_spec(spec), sort_keys=False)  # fields keep their order
    (tmp_path / "openapi.yaml").write_text(changed, "utf-8")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    generate = [
        sys.executable,
        "-m",
        "openapi_python_client",
        "generate",
        "--path",
        "openapi.yaml",
        "--config",
        "codegen/config.yaml",
        "--custom-template-path",
        "codegen/templates",
        "--meta",
        "none",
        "--output-path",
        "generated/apertur_api",
        "--overwrite",
        "--fail-on-warning",
    ]
    done = subprocess.run(generate, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    generated = tmp_path / "generated"
    namespace = (generated / "apertur_api" / "api" / "sessions" / "__init__.py").read_text()
    assert "def archive_session(" in namespace
    assert "async def archive_session(" in namespace
    assert "def list_archived_sessions_all(" in namespace
    assert "stream_session_events" not in namespace  # skipped, not half-generated
    index = (generated / "apertur_api" / "api" / "__init__.py").read_text()
    assert '"stream_session_events": ("events", "subscribe", False)' in index  # hand-written

    env["PYTHONPATH"] = os.pathsep.join([str(generated), str(ROOT)])
    script = f"GENERATED = {str(generated)!r}\n" + CHECK
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip() == "ok"
