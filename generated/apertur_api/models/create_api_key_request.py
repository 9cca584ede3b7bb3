from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateApiKeyRequest")


@_attrs_define
class CreateApiKeyRequest:
    """A new API key, with optional limits.

    Example:
        {'label': 'Mobile app key', 'maxImages': 100}

    """

    label: str
    max_images: int | Unset | None = UNSET
    allowed_mime_types: list[str] | Unset = UNSET
    max_image_dimension: int | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        label = self.label

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "label": label,
            }
        )
        if max_images is not UNSET:
            field_dict["maxImages"] = max_images
        if allowed_mime_types is not UNSET:
            field_dict["allowedMimeTypes"] = allowed_mime_types
        if max_image_dimension is not UNSET:
            field_dict["maxImageDimension"] = max_image_dimension

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        label = d.pop("label")

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

        create_api_key_request = cls(
            label=label,
            max_images=max_images,
            allowed_mime_types=allowed_mime_types,
            max_image_dimension=max_image_dimension,
        )

        create_api_key_request.additional_properties = d
        return create_api_key_request

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
