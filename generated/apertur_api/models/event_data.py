from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_data_metadata import EventDataMetadata


T = TypeVar("T", bound="EventData")


@_attrs_define
class EventData:
    """The `data` of an event. Image events carry the image fields; delivery events add
    `destination_id`/`status`/`error`; `session.completed` carries `session_id` and counts.

        Example:
            {'id': 'img_01HX3Q9V7Y', 'filename': 'photo.jpg', 'size_bytes': 482113, 'mime_type': 'image/jpeg', 'session_id':
                '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'tags': ['order-1234']}

    """

    id: str | Unset = UNSET
    """ The upload record id. """
    filename: str | Unset = UNSET
    size_bytes: int | Unset = UNSET
    mime_type: str | Unset = UNSET
    session_id: str | Unset = UNSET
    download_url: str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    metadata: EventDataMetadata | Unset = UNSET
    destination_id: str | Unset = UNSET
    status: str | Unset = UNSET
    error: str | Unset | None = UNSET
    images_count: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        filename = self.filename

        size_bytes = self.size_bytes

        mime_type = self.mime_type

        session_id = self.session_id

        download_url = self.download_url

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        destination_id = self.destination_id

        status = self.status

        error: str | Unset | None
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        images_count = self.images_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if filename is not UNSET:
            field_dict["filename"] = filename
        if size_bytes is not UNSET:
            field_dict["size_bytes"] = size_bytes
        if mime_type is not UNSET:
            field_dict["mime_type"] = mime_type
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if download_url is not UNSET:
            field_dict["download_url"] = download_url
        if tags is not UNSET:
            field_dict["tags"] = tags
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if destination_id is not UNSET:
            field_dict["destination_id"] = destination_id
        if status is not UNSET:
            field_dict["status"] = status
        if error is not UNSET:
            field_dict["error"] = error
        if images_count is not UNSET:
            field_dict["images_count"] = images_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_data_metadata import EventDataMetadata

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        filename = d.pop("filename", UNSET)

        size_bytes = d.pop("size_bytes", UNSET)

        mime_type = d.pop("mime_type", UNSET)

        session_id = d.pop("session_id", UNSET)

        download_url = d.pop("download_url", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: EventDataMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = EventDataMetadata.from_dict(_metadata)

        destination_id = d.pop("destination_id", UNSET)

        status = d.pop("status", UNSET)

        def _parse_error(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        images_count = d.pop("images_count", UNSET)

        event_data = cls(
            id=id,
            filename=filename,
            size_bytes=size_bytes,
            mime_type=mime_type,
            session_id=session_id,
            download_url=download_url,
            tags=tags,
            metadata=metadata,
            destination_id=destination_id,
            status=status,
            error=error,
            images_count=images_count,
        )

        event_data.additional_properties = d
        return event_data

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
