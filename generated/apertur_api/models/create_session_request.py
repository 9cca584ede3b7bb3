from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.image_mime_type import ImageMimeType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_session_request_metadata import CreateSessionRequestMetadata


T = TypeVar("T", bound="CreateSessionRequest")


@_attrs_define
class CreateSessionRequest:
    """Session options, all optional.

    Example:
        {'long_polling': True, 'max_images': 20, 'tags': ['order-1234'], 'password': 's3cr3t'}

    """

    destination_ids: list[str] | Unset = UNSET
    long_polling: bool | Unset = UNSET
    tags: list[str] | Unset = UNSET
    expires_in_hours: int | Unset = UNSET
    expires_at: datetime.datetime | Unset = UNSET
    max_images: int | Unset = UNSET
    allowed_mime_types: list[ImageMimeType] | Unset = UNSET
    max_image_dimension: int | Unset = UNSET
    password: str | Unset = UNSET
    metadata: CreateSessionRequestMetadata | Unset = UNSET
    """ Free-form data, echoed in the session's image events. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        destination_ids: list[str] | Unset = UNSET
        if not isinstance(self.destination_ids, Unset):
            destination_ids = self.destination_ids

        long_polling = self.long_polling

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        expires_in_hours = self.expires_in_hours

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

        password = self.password

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if destination_ids is not UNSET:
            field_dict["destination_ids"] = destination_ids
        if long_polling is not UNSET:
            field_dict["long_polling"] = long_polling
        if tags is not UNSET:
            field_dict["tags"] = tags
        if expires_in_hours is not UNSET:
            field_dict["expires_in_hours"] = expires_in_hours
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if max_images is not UNSET:
            field_dict["max_images"] = max_images
        if allowed_mime_types is not UNSET:
            field_dict["allowed_mime_types"] = allowed_mime_types
        if max_image_dimension is not UNSET:
            field_dict["max_image_dimension"] = max_image_dimension
        if password is not UNSET:
            field_dict["password"] = password
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_session_request_metadata import CreateSessionRequestMetadata

        d = dict(src_dict)
        destination_ids = cast(list[str], d.pop("destination_ids", UNSET))

        long_polling = d.pop("long_polling", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        expires_in_hours = d.pop("expires_in_hours", UNSET)

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

        password = d.pop("password", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: CreateSessionRequestMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = CreateSessionRequestMetadata.from_dict(_metadata)

        create_session_request = cls(
            destination_ids=destination_ids,
            long_polling=long_polling,
            tags=tags,
            expires_in_hours=expires_in_hours,
            expires_at=expires_at,
            max_images=max_images,
            allowed_mime_types=allowed_mime_types,
            max_image_dimension=max_image_dimension,
            password=password,
            metadata=metadata,
        )

        create_session_request.additional_properties = d
        return create_session_request

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
