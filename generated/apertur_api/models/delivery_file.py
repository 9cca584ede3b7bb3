from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.destination_delivery import DestinationDelivery


T = TypeVar("T", bound="DeliveryFile")


@_attrs_define
class DeliveryFile:
    """
    Example:
        {'record_id': 'img_01HX3Q9V7Y', 'filename': 'photo.jpg', 'size_bytes': 482113, 'has_thumbnail': False,
            'destinations': [{'destination_id': 'dest_01HX3Q8', 'type': 'webhook', 'name': 'Order images', 'status': 'sent',
            'attempts': 1, 'last_error': None}]}

    """

    record_id: str
    destinations: list[DestinationDelivery]
    filename: str | Unset = UNSET
    size_bytes: int | Unset = UNSET
    has_thumbnail: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        record_id = self.record_id

        destinations = []
        for destinations_item_data in self.destinations:
            destinations_item = destinations_item_data.to_dict()
            destinations.append(destinations_item)

        filename = self.filename

        size_bytes = self.size_bytes

        has_thumbnail = self.has_thumbnail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "record_id": record_id,
                "destinations": destinations,
            }
        )
        if filename is not UNSET:
            field_dict["filename"] = filename
        if size_bytes is not UNSET:
            field_dict["size_bytes"] = size_bytes
        if has_thumbnail is not UNSET:
            field_dict["has_thumbnail"] = has_thumbnail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.destination_delivery import DestinationDelivery

        d = dict(src_dict)
        record_id = d.pop("record_id")

        destinations = []
        _destinations = d.pop("destinations")
        for destinations_item_data in _destinations:
            destinations_item = DestinationDelivery.from_dict(destinations_item_data)

            destinations.append(destinations_item)

        filename = d.pop("filename", UNSET)

        size_bytes = d.pop("size_bytes", UNSET)

        has_thumbnail = d.pop("has_thumbnail", UNSET)

        delivery_file = cls(
            record_id=record_id,
            destinations=destinations,
            filename=filename,
            size_bytes=size_bytes,
            has_thumbnail=has_thumbnail,
        )

        delivery_file.additional_properties = d
        return delivery_file

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
