"""The argument conversions the generated namespace methods use (``apertur_api.types``).

They turn what a caller passes into what the generated models take, and raise ``ArgumentError``
(which the request path reports as ``InvalidInputError``) before anything is sent.
"""

from __future__ import annotations

import datetime

import pytest

from apertur_api.models import CreateSessionRequestMetadata, ImageMimeType, QrStyle, SessionRow
from apertur_api.types import (
    UNSET,
    ArgumentError,
    date,
    date_time,
    enum_value,
    given,
    items,
    model,
    path_arg,
    required,
    text,
)


def test_path_arg() -> None:
    assert path_arg("s1", "uuid") == "s1"
    for bad in ("", " ", ".", "..", 3):
        with pytest.raises(ArgumentError, match="uuid"):
            path_arg(bad, "uuid")  # type: ignore[arg-type]


def test_text_given_required() -> None:
    assert text("x", "label") == "x"
    with pytest.raises(ArgumentError, match="non-empty"):
        text("", "label")
    assert given(None) is UNSET
    assert given(0) == 0
    assert required(3, "n") == 3
    with pytest.raises(ArgumentError, match="n is required"):
        required(UNSET, "n")


def test_dates() -> None:
    when = datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC)
    assert date_time(when, "at") is when
    assert date_time(" 2026-01-02T03:04:00+00:00 ", "at") == when
    assert date_time(None, "at") is UNSET
    with pytest.raises(ArgumentError, match="ISO 8601"):
        date_time("yesterday", "at")
    assert date("2026-01-02", "day") == datetime.date(2026, 1, 2)
    with pytest.raises(ArgumentError):
        date(when, "day")  # a datetime is not a date here


def test_enum_value_keeps_unknown_values() -> None:
    assert enum_value(QrStyle, "rounded", "style") is QrStyle.ROUNDED
    newer = enum_value(QrStyle, "dotted", "style")
    assert str(newer) == "dotted"
    with pytest.raises(ArgumentError, match="string"):
        enum_value(QrStyle, 3, "style")  # type: ignore[arg-type]


def test_model_from_a_mapping() -> None:
    built = model(CreateSessionRequestMetadata, {"order": 1}, "metadata")
    assert isinstance(built, CreateSessionRequestMetadata)
    assert built.to_dict() == {"order": 1}
    with pytest.raises(ArgumentError, match="mapping"):
        model(CreateSessionRequestMetadata, ["x"], "metadata")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="not a valid SessionRow"):
        model(SessionRow, {"no": "id"}, "row")


def test_items() -> None:
    assert items(iter(["a", "b"]), "tags", (str,)) == ["a", "b"]
    assert items(None, "tags", (str,)) is UNSET
    for bad in ("ab", {"a": 1}, 3):
        with pytest.raises(ArgumentError, match="must be a list"):
            items(bad, "tags", (str,))  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="only int"):
        items([1, True], "retry_intervals", (int,))
    assert items(["image/png"], "types", ImageMimeType) == [ImageMimeType.IMAGEPNG]
    with pytest.raises(ArgumentError, match="None"):
        items([None], "types", ImageMimeType)
    rows = items([{"id": "s1"}], "rows", SessionRow)
    assert isinstance(rows, list)
    assert rows[0].id == "s1"
