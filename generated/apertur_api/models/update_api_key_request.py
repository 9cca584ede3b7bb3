from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateApiKeyRequest")


@_attrs_define
class UpdateApiKeyRequest:
    """Omitted fields are unchanged.

    Example:
        {'label': 'Mobile app key v2'}

    """

    label: str | Unset = UNSET
    is_active: bool | Unset = UNSET
    max_images: int | Unset | None = UNSET
    allowed_mime_types: list[str] | Unset = UNSET
    max_image_dimension: int | Unset | None = UNSET
    allowed_ips: list[str] | Unset = UNSET
    allowed_domains: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        label = self.label

        is_active = self.is_active

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

        allowed_ips: list[str] | Unset = UNSET
        if not isinstance(self.allowed_ips, Unset):
            allowed_ips = self.allowed_ips

        allowed_domains: list[str] | Unset = UNSET
        if not isinstance(self.allowed_domains, Unset):
            allowed_domains = self.allowed_domains

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if label is not UNSET:
            field_dict["label"] = label
        if is_active is not UNSET:
            field_dict["isActive"] = is_active
        if max_images is not UNSET:
            field_dict["maxImages"] = max_images
        if allowed_mime_types is not UNSET:
            field_dict["allowedMimeTypes"] = allowed_mime_types
        if max_image_dimension is not UNSET:
            field_dict["maxImageDimension"] = max_image_dimension
        if allowed_ips is not UNSET:
            field_dict["allowedIps"] = allowed_ips
        if allowed_domains is not UNSET:
            field_dict["allowedDomains"] = allowed_domains

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        label = d.pop("label", UNSET)

        is_active = d.pop("isActive", UNSET)

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

        allowed_ips = cast(list[str], d.pop("allowedIps", UNSET))

        allowed_domains = cast(list[str], d.pop("allowedDomains", UNSET))

        update_api_key_request = cls(
            label=label,
            is_active=is_active,
            max_images=max_images,
            allowed_mime_types=allowed_mime_types,
            max_image_dimension=max_image_dimension,
            allowed_ips=allowed_ips,
            allowed_domains=allowed_domains,
        )

        update_api_key_request.additional_properties = d
        return update_api_key_request

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
