from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageWebhookPayload")


@_attrs_define
class ImageWebhookPayload:
    """The body of an image delivery to a `webhook` destination in the `json_base64` format, signed
    with `X-Apertur-Signature: sha256=<hex HMAC of the raw body>`. Headers `X-Aptr-Session-Id`,
    `X-Aptr-Image-Id` and
    `X-Aptr-Image-Index` carry the same metadata for the multipart and binary formats.

        Example:
            {'session_id': '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'image_id': 'img_01HX3Q9V7Y', 'image_index': 0,
                'mime_type': 'image/jpeg', 'filename': 'photo.jpg', 'size_bytes': 3, 'data': '/9j/', 'tags': ['order-1234']}

    """

    session_id: str
    image_id: str
    data: str
    """ The image, standard base64. """
    image_index: int | Unset = UNSET
    """ 0-based position in the session. """
    mime_type: str | Unset = UNSET
    filename: str | Unset = UNSET
    size_bytes: int | Unset = UNSET
    tags: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        image_id = self.image_id

        data = self.data

        image_index = self.image_index

        mime_type = self.mime_type

        filename = self.filename

        size_bytes = self.size_bytes

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "session_id": session_id,
                "image_id": image_id,
                "data": data,
            }
        )
        if image_index is not UNSET:
            field_dict["image_index"] = image_index
        if mime_type is not UNSET:
            field_dict["mime_type"] = mime_type
        if filename is not UNSET:
            field_dict["filename"] = filename
        if size_bytes is not UNSET:
            field_dict["size_bytes"] = size_bytes
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        session_id = d.pop("session_id")

        image_id = d.pop("image_id")

        data = d.pop("data")

        image_index = d.pop("image_index", UNSET)

        mime_type = d.pop("mime_type", UNSET)

        filename = d.pop("filename", UNSET)

        size_bytes = d.pop("size_bytes", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        image_webhook_payload = cls(
            session_id=session_id,
            image_id=image_id,
            data=data,
            image_index=image_index,
            mime_type=mime_type,
            filename=filename,
            size_bytes=size_bytes,
            tags=tags,
        )

        image_webhook_payload.additional_properties = d
        return image_webhook_payload

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
