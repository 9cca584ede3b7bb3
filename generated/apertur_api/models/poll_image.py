from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PollImage")


@_attrs_define
class PollImage:
    """A queued image.

    Example:
        {'id': 'img_01HX3Q9V7Y', 'filename': 'photo.jpg', 'size_bytes': 482113, 'mime_type': 'image/jpeg', 'source':
            'camera', 'created_at': '2026-12-01T09:45:02.120Z'}

    """

    id: str
    filename: str | Unset = UNSET
    size_bytes: int | Unset = UNSET
    mime_type: str | Unset = UNSET
    source: str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        filename = self.filename

        size_bytes = self.size_bytes

        mime_type = self.mime_type

        source = self.source

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if filename is not UNSET:
            field_dict["filename"] = filename
        if size_bytes is not UNSET:
            field_dict["size_bytes"] = size_bytes
        if mime_type is not UNSET:
            field_dict["mime_type"] = mime_type
        if source is not UNSET:
            field_dict["source"] = source
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        filename = d.pop("filename", UNSET)

        size_bytes = d.pop("size_bytes", UNSET)

        mime_type = d.pop("mime_type", UNSET)

        source = d.pop("source", UNSET)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        poll_image = cls(
            id=id,
            filename=filename,
            size_bytes=size_bytes,
            mime_type=mime_type,
            source=source,
            created_at=created_at,
        )

        poll_image.additional_properties = d
        return poll_image

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
