from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.session_status import SessionStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Session")


@_attrs_define
class Session:
    """A session as its upload page sees it.

    Example:
        {'id': '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'status': 'active', 'expiresAt': '2026-12-02T09:44:41.919Z',
            'tags': ['order-1234'], 'imagesPerSession': 20, 'effectiveMaxImages': 20, 'effectiveAllowedMimeTypes':
            ['image/jpeg', 'image/png'], 'effectiveMaxImageDimension': None, 'password_protected': True, 'e2eEnabled':
            False, 'e2ePublicKey': None, 'e2eDowngraded': False}

    """

    id: str
    status: SessionStatus
    expires_at: datetime.datetime | Unset = UNSET
    tags: list[str] | Unset | None = UNSET
    images_per_session: int | Unset | None = UNSET
    effective_max_images: int | Unset = UNSET
    effective_allowed_mime_types: list[str] | Unset = UNSET
    effective_max_image_dimension: int | Unset | None = UNSET
    password_protected: bool | Unset = UNSET
    server_public_key: str | Unset = UNSET
    """ The server's RSA public key (PEM, SPKI) for encrypted uploads into this session: the
    same key as `GET /api/v1/encryption/server-key`, readable without an API key.
     """
    e_2_e_enabled: bool | Unset = UNSET
    e_2_e_public_key: str | Unset | None = UNSET
    e_2_e_downgraded: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        expires_at: str | Unset = UNSET
        if not isinstance(self.expires_at, Unset):
            expires_at = self.expires_at.isoformat()

        tags: list[str] | Unset | None
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags

        else:
            tags = self.tags

        images_per_session: int | Unset | None
        if isinstance(self.images_per_session, Unset):
            images_per_session = UNSET
        else:
            images_per_session = self.images_per_session

        effective_max_images = self.effective_max_images

        effective_allowed_mime_types: list[str] | Unset = UNSET
        if not isinstance(self.effective_allowed_mime_types, Unset):
            effective_allowed_mime_types = self.effective_allowed_mime_types

        effective_max_image_dimension: int | Unset | None
        if isinstance(self.effective_max_image_dimension, Unset):
            effective_max_image_dimension = UNSET
        else:
            effective_max_image_dimension = self.effective_max_image_dimension

        password_protected = self.password_protected

        server_public_key = self.server_public_key

        e_2_e_enabled = self.e_2_e_enabled

        e_2_e_public_key: str | Unset | None
        if isinstance(self.e_2_e_public_key, Unset):
            e_2_e_public_key = UNSET
        else:
            e_2_e_public_key = self.e_2_e_public_key

        e_2_e_downgraded = self.e_2_e_downgraded

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
            }
        )
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at
        if tags is not UNSET:
            field_dict["tags"] = tags
        if images_per_session is not UNSET:
            field_dict["imagesPerSession"] = images_per_session
        if effective_max_images is not UNSET:
            field_dict["effectiveMaxImages"] = effective_max_images
        if effective_allowed_mime_types is not UNSET:
            field_dict["effectiveAllowedMimeTypes"] = effective_allowed_mime_types
        if effective_max_image_dimension is not UNSET:
            field_dict["effectiveMaxImageDimension"] = effective_max_image_dimension
        if password_protected is not UNSET:
            field_dict["password_protected"] = password_protected
        if server_public_key is not UNSET:
            field_dict["serverPublicKey"] = server_public_key
        if e_2_e_enabled is not UNSET:
            field_dict["e2eEnabled"] = e_2_e_enabled
        if e_2_e_public_key is not UNSET:
            field_dict["e2ePublicKey"] = e_2_e_public_key
        if e_2_e_downgraded is not UNSET:
            field_dict["e2eDowngraded"] = e_2_e_downgraded

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        status = SessionStatus(d.pop("status"))

        _expires_at = d.pop("expiresAt", UNSET)
        expires_at: datetime.datetime | Unset
        if isinstance(_expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = datetime.datetime.fromisoformat(_expires_at)

        def _parse_tags(data: object) -> list[str] | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        def _parse_images_per_session(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        images_per_session = _parse_images_per_session(d.pop("imagesPerSession", UNSET))

        effective_max_images = d.pop("effectiveMaxImages", UNSET)

        effective_allowed_mime_types = cast(list[str], d.pop("effectiveAllowedMimeTypes", UNSET))

        def _parse_effective_max_image_dimension(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        effective_max_image_dimension = _parse_effective_max_image_dimension(
            d.pop("effectiveMaxImageDimension", UNSET)
        )

        password_protected = d.pop("password_protected", UNSET)

        server_public_key = d.pop("serverPublicKey", UNSET)

        e_2_e_enabled = d.pop("e2eEnabled", UNSET)

        def _parse_e_2_e_public_key(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        e_2_e_public_key = _parse_e_2_e_public_key(d.pop("e2ePublicKey", UNSET))

        e_2_e_downgraded = d.pop("e2eDowngraded", UNSET)

        session = cls(
            id=id,
            status=status,
            expires_at=expires_at,
            tags=tags,
            images_per_session=images_per_session,
            effective_max_images=effective_max_images,
            effective_allowed_mime_types=effective_allowed_mime_types,
            effective_max_image_dimension=effective_max_image_dimension,
            password_protected=password_protected,
            server_public_key=server_public_key,
            e_2_e_enabled=e_2_e_enabled,
            e_2_e_public_key=e_2_e_public_key,
            e_2_e_downgraded=e_2_e_downgraded,
        )

        session.additional_properties = d
        return session

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
