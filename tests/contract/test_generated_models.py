"""The generated models parse every schema example, tolerate what a newer server may send,
and the three custom templates (codegen/templates) do what they exist for."""

from __future__ import annotations

import enum
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

import apertur_api.models as models
from apertur_api import Client
from apertur_api.api.polling import ack_image
from apertur_api.api.sessions import get_session
from apertur_api.api.upload import upload_image
from apertur_api.types import File

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())["components"][
    "schemas"
]
NOT_JSON = {"UploadImageBody"}  # a multipart body: its `file` is bytes, not a JSON value


def _normalise(value: Any) -> Any:
    """Compare timestamps as instants: the models write `+00:00` where the wire says `Z`."""
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, str) and len(value) >= 20 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def _model(name: str) -> Any:
    return getattr(models, name)


OBJECTS = sorted(n for n, s in SCHEMAS.items() if s.get("type") == "object" and n not in NOT_JSON)
ENUMS = sorted(n for n, s in SCHEMAS.items() if "enum" in s)


def test_every_schema_has_a_model() -> None:
    for name in SCHEMAS:
        assert hasattr(models, name), name


@pytest.mark.parametrize("name", OBJECTS)
def test_example_round_trips(name: str) -> None:
    example = SCHEMAS[name]["example"]
    parsed = _model(name).from_dict(example)
    assert _normalise(parsed.to_dict()) == _normalise(example)


@pytest.mark.parametrize("name", ENUMS)
def test_enum_example_parses(name: str) -> None:
    member = _model(name)(SCHEMAS[name]["example"])
    assert member.value == SCHEMAS[name]["example"]


@pytest.mark.parametrize(
    "name", [n for n in OBJECTS if SCHEMAS[n].get("additionalProperties") is not False]
)
def test_unknown_fields_are_kept(name: str) -> None:
    example = {**SCHEMAS[name]["example"], "fieldFromTheFuture": {"x": 1}}
    parsed = _model(name).from_dict(example)
    assert parsed.to_dict()["fieldFromTheFuture"] == {"x": 1}


@pytest.mark.parametrize("name", ENUMS)
def test_unknown_enum_values_parse_and_round_trip(name: str) -> None:
    cls = _model(name)
    member = cls("value-from-the-future")
    assert isinstance(member, cls)
    assert isinstance(member, enum.Enum)
    assert member.name == "UNKNOWN"
    assert str(member) == "value-from-the-future"
    known = SCHEMAS[name]["example"]
    assert cls(known) is cls(known)  # known values keep their identity


def test_unknown_enum_inside_a_model() -> None:
    example = {**SCHEMAS["Session"]["example"], "status": "archived"}
    session = models.Session.from_dict(example)
    assert session.status.value == "archived"
    assert session.to_dict()["status"] == "archived"


def test_multipart_boundary_is_random() -> None:
    client = Client(base_url="http://127.0.0.1")
    body = models.UploadImageBody(file=File(payload=BytesIO(b"\r\n--+++\r\nx"), file_name="a.jpg"))
    kwargs = upload_image._get_kwargs("sess", body=body)
    assert "Content-Type" not in kwargs.get("headers", {})
    first = client.get_httpx_client().build_request(**kwargs)
    body.file.payload.seek(0)
    second = client.get_httpx_client().build_request(**kwargs)
    ct1, ct2 = first.headers["content-type"], second.headers["content-type"]
    assert ct1.startswith("multipart/form-data; boundary=")
    assert "+++" not in ct1
    assert ct1 != ct2


def test_non_standard_status_keeps_its_number() -> None:
    client = Client(base_url="http://127.0.0.1")
    response = httpx.Response(599, content=b"<html>proxy</html>")
    built = get_session._build_response(client=client, response=response)
    assert built.status_code == 599
    assert built.parsed is None


def test_optional_body_announces_a_content_type_only_when_sent() -> None:
    # The real server answers 500 to a JSON Content-Type with an empty body (facts §10.10).
    bare = ack_image._get_kwargs("sess", "img")
    assert "json" not in bare
    assert "Content-Type" not in bare["headers"]
    with_body = ack_image._get_kwargs("sess", "img", body=models.AckRequest())
    assert with_body["json"] == {}
    assert with_body["headers"]["Content-Type"] == "application/json"
