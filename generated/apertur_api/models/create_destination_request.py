from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_destination_request_config import CreateDestinationRequestConfig


T = TypeVar("T", bound="CreateDestinationRequest")


@_attrs_define
class CreateDestinationRequest:
    """
    Example:
        {'type': 'webhook', 'name': 'Order images', 'config': {'url': 'https://example.com/hooks/images', 'format':
            'json_base64'}}

    """

    type_: str
    name: str
    config: CreateDestinationRequestConfig | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        name = self.name

        config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "name": name,
            }
        )
        if config is not UNSET:
            field_dict["config"] = config

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_destination_request_config import CreateDestinationRequestConfig

        d = dict(src_dict)
        type_ = d.pop("type")

        name = d.pop("name")

        _config = d.pop("config", UNSET)
        config: CreateDestinationRequestConfig | Unset
        if isinstance(_config, Unset):
            config = UNSET
        else:
            config = CreateDestinationRequestConfig.from_dict(_config)

        create_destination_request = cls(
            type_=type_,
            name=name,
            config=config,
        )

        create_destination_request.additional_properties = d
        return create_destination_request

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
