from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_state import DeliveryState
from ..types import UNSET, Unset

T = TypeVar("T", bound="DestinationDelivery")


@_attrs_define
class DestinationDelivery:
    """One destination's delivery of one file.

    Example:
        {'destination_id': 'dest_01HX3Q8', 'type': 'webhook', 'name': 'Order images', 'status': 'sent', 'attempts': 1,
            'last_error': None}

    """

    destination_id: str
    status: DeliveryState
    """ A destination's delivery state for one file; `sent` means delivered. """
    type_: str | Unset = UNSET
    name: str | Unset = UNSET
    attempts: int | Unset = UNSET
    last_error: str | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        destination_id = self.destination_id

        status = self.status.value

        type_ = self.type_

        name = self.name

        attempts = self.attempts

        last_error: str | Unset | None
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "destination_id": destination_id,
                "status": status,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if name is not UNSET:
            field_dict["name"] = name
        if attempts is not UNSET:
            field_dict["attempts"] = attempts
        if last_error is not UNSET:
            field_dict["last_error"] = last_error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        destination_id = d.pop("destination_id")

        status = DeliveryState(d.pop("status"))

        type_ = d.pop("type", UNSET)

        name = d.pop("name", UNSET)

        attempts = d.pop("attempts", UNSET)

        def _parse_last_error(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))

        destination_delivery = cls(
            destination_id=destination_id,
            status=status,
            type_=type_,
            name=name,
            attempts=attempts,
            last_error=last_error,
        )

        destination_delivery.additional_properties = d
        return destination_delivery

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
