from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.key_destination import KeyDestination


T = TypeVar("T", bound="KeyDestinationsResult")


@_attrs_define
class KeyDestinationsResult:
    """
    Example:
        {'destinations': [{'id': 'dest_01HX3Q8', 'type': 'webhook', 'name': 'Order images', 'isActive': True}],
            'longPollingEnabled': True}

    """

    destinations: list[KeyDestination]
    long_polling_enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        destinations = []
        for destinations_item_data in self.destinations:
            destinations_item = destinations_item_data.to_dict()
            destinations.append(destinations_item)

        long_polling_enabled = self.long_polling_enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "destinations": destinations,
            }
        )
        if long_polling_enabled is not UNSET:
            field_dict["longPollingEnabled"] = long_polling_enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.key_destination import KeyDestination

        d = dict(src_dict)
        destinations = []
        _destinations = d.pop("destinations")
        for destinations_item_data in _destinations:
            destinations_item = KeyDestination.from_dict(destinations_item_data)

            destinations.append(destinations_item)

        long_polling_enabled = d.pop("longPollingEnabled", UNSET)

        key_destinations_result = cls(
            destinations=destinations,
            long_polling_enabled=long_polling_enabled,
        )

        key_destinations_result.additional_properties = d
        return key_destinations_result

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
