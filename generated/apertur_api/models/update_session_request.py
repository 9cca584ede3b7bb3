from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.image_mime_type import ImageMimeType
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateSessionRequest")


@_attrs_define
class UpdateSessionRequest:
    """Omitted fields are unchanged; a `null` password removes the protection.

    Example:
        {'max_images': 50, 'password': None}

    """

    expires_at: datetime.datetime | Unset = UNSET
    max_images: int | Unset = UNSET
    allowed_mime_types: list[ImageMimeType] | Unset = UNSET
    max_image_dimension: int | Unset = UNSET
    max_image_size_mb: int | Unset = UNSET
    password: str | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expires_at: str | Unset = UNSET
        if not isinstance(self.expires_at, Unset):
            expires_at = self.expires_at.isoformat()

        max_images = self.max_images

        allowed_mime_types: list[str] | Unset = UNSET
        if not isinstance(self.allowed_mime_types, Unset):
            allowed_mime_types = []
            for allowed_mime_types_item_data in self.allowed_mime_types:
                allowed_mime_types_item = allowed_mime_types_item_data.value
                allowed_mime_types.append(allowed_mime_types_item)

        max_image_dimension = self.max_image_dimension

        max_image_size_mb = self.max_image_size_mb

        password: str | Unset | None
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if max_images is not UNSET:
            field_dict["max_images"] = max_images
        if allowed_mime_types is not UNSET:
            field_dict["allowed_mime_types"] = allowed_mime_types
        if max_image_dimension is not UNSET:
            field_dict["max_image_dimension"] = max_image_dimension
        if max_image_size_mb is not UNSET:
            field_dict["max_image_size_mb"] = max_image_size_mb
        if password is not UNSET:
            field_dict["password"] = password

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _expires_at = d.pop("expires_at", UNSET)
        expires_at: datetime.datetime | Unset
        if isinstance(_expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = datetime.datetime.fromisoformat(_expires_at)

        max_images = d.pop("max_images", UNSET)

        _allowed_mime_types = d.pop("allowed_mime_types", UNSET)
        allowed_mime_types: list[ImageMimeType] | Unset = UNSET
        if _allowed_mime_types is not UNSET:
            allowed_mime_types = []
            for allowed_mime_types_item_data in _allowed_mime_types:
                allowed_mime_types_item = ImageMimeType(allowed_mime_types_item_data)

                allowed_mime_types.append(allowed_mime_types_item)

        max_image_dimension = d.pop("max_image_dimension", UNSET)

        max_image_size_mb = d.pop("max_image_size_mb", UNSET)

        def _parse_password(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))

        update_session_request = cls(
            expires_at=expires_at,
            max_images=max_images,
            allowed_mime_types=allowed_mime_types,
            max_image_dimension=max_image_dimension,
            max_image_size_mb=max_image_size_mb,
            password=password,
        )

        update_session_request.additional_properties = d
        return update_session_request

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
