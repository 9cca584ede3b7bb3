from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SetKeyDestinationsRequest")


@_attrs_define
class SetKeyDestinationsRequest:
    """The destinations a key delivers to.

    Example:
        {'destination_ids': ['dest_01HX3Q8'], 'long_polling_enabled': True}

    """

    destination_ids: list[str]
    long_polling_enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        destination_ids = self.destination_ids

        long_polling_enabled = self.long_polling_enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "destination_ids": destination_ids,
            }
        )
        if long_polling_enabled is not UNSET:
            field_dict["long_polling_enabled"] = long_polling_enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        destination_ids = cast(list[str], d.pop("destination_ids"))

        long_polling_enabled = d.pop("long_polling_enabled", UNSET)

        set_key_destinations_request = cls(
            destination_ids=destination_ids,
            long_polling_enabled=long_polling_enabled,
        )

        set_key_destinations_request.additional_properties = d
        return set_key_destinations_request

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
