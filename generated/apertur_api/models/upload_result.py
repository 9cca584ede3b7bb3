from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadResult")


@_attrs_define
class UploadResult:
    """
    Example:
        {'id': 'img_01HX3Q9V7Y', 'filename': 'photo.jpg', 'size_bytes': 482113, 'destinations': 1, 'long_polling': True}

    """

    id: str
    filename: str | Unset = UNSET
    size_bytes: int | Unset = UNSET
    destinations: int | Unset = UNSET
    """ How many destinations will receive it. """
    long_polling: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        filename = self.filename

        size_bytes = self.size_bytes

        destinations = self.destinations

        long_polling = self.long_polling

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
        if destinations is not UNSET:
            field_dict["destinations"] = destinations
        if long_polling is not UNSET:
            field_dict["long_polling"] = long_polling

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        filename = d.pop("filename", UNSET)

        size_bytes = d.pop("size_bytes", UNSET)

        destinations = d.pop("destinations", UNSET)

        long_polling = d.pop("long_polling", UNSET)

        upload_result = cls(
            id=id,
            filename=filename,
            size_bytes=size_bytes,
            destinations=destinations,
            long_polling=long_polling,
        )

        upload_result.additional_properties = d
        return upload_result

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
