from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.destination_config import DestinationConfig


T = TypeVar("T", bound="Destination")


@_attrs_define
class Destination:
    """Where images go. `type` is one of webhook, s3, google_drive, dropbox, onedrive, ftp, webdav,
    azure_blob, box or odoo; it is an open string, as more may come. A webhook's `config` is
    `{url, format: json_base64|multipart|binary, secret}`.

        Example:
            {'id': 'dest_01HX3Q8', 'type': 'webhook', 'name': 'Order images', 'config': {'url':
                'https://example.com/hooks/images', 'format': 'json_base64'}, 'isActive': True, 'createdAt':
                '2026-12-01T09:40:00.000Z', 'updatedAt': '2026-12-01T09:40:00.000Z'}

    """

    id: str
    type_: str
    name: str
    config: DestinationConfig | Unset = UNSET
    is_active: bool | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        name = self.name

        config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        is_active = self.is_active

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "name": name,
            }
        )
        if config is not UNSET:
            field_dict["config"] = config
        if is_active is not UNSET:
            field_dict["isActive"] = is_active
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.destination_config import DestinationConfig

        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        name = d.pop("name")

        _config = d.pop("config", UNSET)
        config: DestinationConfig | Unset
        if isinstance(_config, Unset):
            config = UNSET
        else:
            config = DestinationConfig.from_dict(_config)

        is_active = d.pop("isActive", UNSET)

        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _updated_at = d.pop("updatedAt", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)

        destination = cls(
            id=id,
            type_=type_,
            name=name,
            config=config,
            is_active=is_active,
            created_at=created_at,
            updated_at=updated_at,
        )

        destination.additional_properties = d
        return destination

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
