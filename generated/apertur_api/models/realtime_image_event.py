from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RealtimeImageEvent")


@_attrs_define
class RealtimeImageEvent:
    """The data of the real-time events `image:ready`, `image:delivering`, `image:delivered` and
    `image:failed`, on the Socket.IO channel and on the Server-Sent Events stream alike.
    `destinationId`, `status` and `error` are present on the delivery events.

        Example:
            {'sessionId': '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'imageId': 'img_01HX3Q9V7Y', 'filename': 'photo.jpg',
                'sizeBytes': 482113, 'mimeType': 'image/jpeg'}

    """

    session_id: str
    image_id: str
    filename: str | Unset = UNSET
    size_bytes: int | Unset = UNSET
    mime_type: str | Unset = UNSET
    destination_id: str | Unset = UNSET
    status: str | Unset = UNSET
    error: str | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        image_id = self.image_id

        filename = self.filename

        size_bytes = self.size_bytes

        mime_type = self.mime_type

        destination_id = self.destination_id

        status = self.status

        error: str | Unset | None
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sessionId": session_id,
                "imageId": image_id,
            }
        )
        if filename is not UNSET:
            field_dict["filename"] = filename
        if size_bytes is not UNSET:
            field_dict["sizeBytes"] = size_bytes
        if mime_type is not UNSET:
            field_dict["mimeType"] = mime_type
        if destination_id is not UNSET:
            field_dict["destinationId"] = destination_id
        if status is not UNSET:
            field_dict["status"] = status
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        session_id = d.pop("sessionId")

        image_id = d.pop("imageId")

        filename = d.pop("filename", UNSET)

        size_bytes = d.pop("sizeBytes", UNSET)

        mime_type = d.pop("mimeType", UNSET)

        destination_id = d.pop("destinationId", UNSET)

        status = d.pop("status", UNSET)

        def _parse_error(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        realtime_image_event = cls(
            session_id=session_id,
            image_id=image_id,
            filename=filename,
            size_bytes=size_bytes,
            mime_type=mime_type,
            destination_id=destination_id,
            status=status,
            error=error,
        )

        realtime_image_event.additional_properties = d
        return realtime_image_event

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
