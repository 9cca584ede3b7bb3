from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.environment import Environment
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiKey")


@_attrs_define
class ApiKey:
    """
    Example:
        {'id': 'key_01HX3Q9', 'prefix': 'aptr_test_3fA9', 'label': 'Mobile app key', 'env': 'test', 'isActive': True,
            'lastUsedAt': None, 'maxImages': None, 'allowedMimeTypes': ['image/jpeg'], 'maxImageDimension': None,
            'longPollingEnabled': False, 'defaultDestinations': ['dest_01HX3Q8'], 'allowedIps': [], 'allowedDomains': [],
            'totpEnabled': False, 'clientCertEnabled': False, 'clientCertFingerprint': None, 'createdAt':
            '2026-12-01T09:40:00.000Z'}

    """

    id: str
    label: str
    prefix: str | Unset = UNSET
    """ The visible start of the key. """
    env: Environment | Unset = UNSET
    """ From the key prefix (`aptr_test_` → test, anything else → live). """
    is_active: bool | Unset = UNSET
    last_used_at: datetime.datetime | Unset | None = UNSET
    max_images: int | Unset | None = UNSET
    allowed_mime_types: list[str] | Unset = UNSET
    max_image_dimension: int | Unset | None = UNSET
    long_polling_enabled: bool | Unset = UNSET
    default_destinations: list[str] | Unset = UNSET
    allowed_ips: list[str] | Unset = UNSET
    allowed_domains: list[str] | Unset = UNSET
    totp_enabled: bool | Unset = UNSET
    client_cert_enabled: bool | Unset = UNSET
    client_cert_fingerprint: str | Unset | None = UNSET
    created_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        label = self.label

        prefix = self.prefix

        env: str | Unset = UNSET
        if not isinstance(self.env, Unset):
            env = self.env.value

        is_active = self.is_active

        last_used_at: str | Unset | None
        if isinstance(self.last_used_at, Unset):
            last_used_at = UNSET
        elif isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at

        max_images: int | Unset | None
        if isinstance(self.max_images, Unset):
            max_images = UNSET
        else:
            max_images = self.max_images

        allowed_mime_types: list[str] | Unset = UNSET
        if not isinstance(self.allowed_mime_types, Unset):
            allowed_mime_types = self.allowed_mime_types

        max_image_dimension: int | Unset | None
        if isinstance(self.max_image_dimension, Unset):
            max_image_dimension = UNSET
        else:
            max_image_dimension = self.max_image_dimension

        long_polling_enabled = self.long_polling_enabled

        default_destinations: list[str] | Unset = UNSET
        if not isinstance(self.default_destinations, Unset):
            default_destinations = self.default_destinations

        allowed_ips: list[str] | Unset = UNSET
        if not isinstance(self.allowed_ips, Unset):
            allowed_ips = self.allowed_ips

        allowed_domains: list[str] | Unset = UNSET
        if not isinstance(self.allowed_domains, Unset):
            allowed_domains = self.allowed_domains

        totp_enabled = self.totp_enabled

        client_cert_enabled = self.client_cert_enabled

        client_cert_fingerprint: str | Unset | None
        if isinstance(self.client_cert_fingerprint, Unset):
            client_cert_fingerprint = UNSET
        else:
            client_cert_fingerprint = self.client_cert_fingerprint

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "label": label,
            }
        )
        if prefix is not UNSET:
            field_dict["prefix"] = prefix
        if env is not UNSET:
            field_dict["env"] = env
        if is_active is not UNSET:
            field_dict["isActive"] = is_active
        if last_used_at is not UNSET:
            field_dict["lastUsedAt"] = last_used_at
        if max_images is not UNSET:
            field_dict["maxImages"] = max_images
        if allowed_mime_types is not UNSET:
            field_dict["allowedMimeTypes"] = allowed_mime_types
        if max_image_dimension is not UNSET:
            field_dict["maxImageDimension"] = max_image_dimension
        if long_polling_enabled is not UNSET:
            field_dict["longPollingEnabled"] = long_polling_enabled
        if default_destinations is not UNSET:
            field_dict["defaultDestinations"] = default_destinations
        if allowed_ips is not UNSET:
            field_dict["allowedIps"] = allowed_ips
        if allowed_domains is not UNSET:
            field_dict["allowedDomains"] = allowed_domains
        if totp_enabled is not UNSET:
            field_dict["totpEnabled"] = totp_enabled
        if client_cert_enabled is not UNSET:
            field_dict["clientCertEnabled"] = client_cert_enabled
        if client_cert_fingerprint is not UNSET:
            field_dict["clientCertFingerprint"] = client_cert_fingerprint
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        label = d.pop("label")

        prefix = d.pop("prefix", UNSET)

        _env = d.pop("env", UNSET)
        env: Environment | Unset
        if isinstance(_env, Unset):
            env = UNSET
        else:
            env = Environment(_env)

        is_active = d.pop("isActive", UNSET)

        def _parse_last_used_at(data: object) -> datetime.datetime | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_used_at = _parse_last_used_at(d.pop("lastUsedAt", UNSET))

        def _parse_max_images(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_images = _parse_max_images(d.pop("maxImages", UNSET))

        allowed_mime_types = cast(list[str], d.pop("allowedMimeTypes", UNSET))

        def _parse_max_image_dimension(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_image_dimension = _parse_max_image_dimension(d.pop("maxImageDimension", UNSET))

        long_polling_enabled = d.pop("longPollingEnabled", UNSET)

        default_destinations = cast(list[str], d.pop("defaultDestinations", UNSET))

        allowed_ips = cast(list[str], d.pop("allowedIps", UNSET))

        allowed_domains = cast(list[str], d.pop("allowedDomains", UNSET))

        totp_enabled = d.pop("totpEnabled", UNSET)

        client_cert_enabled = d.pop("clientCertEnabled", UNSET)

        def _parse_client_cert_fingerprint(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_cert_fingerprint = _parse_client_cert_fingerprint(
            d.pop("clientCertFingerprint", UNSET)
        )

        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        api_key = cls(
            id=id,
            label=label,
            prefix=prefix,
            env=env,
            is_active=is_active,
            last_used_at=last_used_at,
            max_images=max_images,
            allowed_mime_types=allowed_mime_types,
            max_image_dimension=max_image_dimension,
            long_polling_enabled=long_polling_enabled,
            default_destinations=default_destinations,
            allowed_ips=allowed_ips,
            allowed_domains=allowed_domains,
            totp_enabled=totp_enabled,
            client_cert_enabled=client_cert_enabled,
            client_cert_fingerprint=client_cert_fingerprint,
            created_at=created_at,
        )

        api_key.additional_properties = d
        return api_key

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
