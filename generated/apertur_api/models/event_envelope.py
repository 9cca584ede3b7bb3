from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_data import EventData


T = TypeVar("T", bound="EventEnvelope")


@_attrs_define
class EventEnvelope:
    """The body of an event-webhook delivery; `event` and `topic` both name the topic. Signed per
    the webhook's `signatureMethod`: `X-Apertur-Signature` and `X-Apertur-Timestamp` for
    `hmac_sha256`, the `svix-*` headers for `svix`. Topics: image.uploaded, image.delivered,
    image.failed, session.completed, webhook.test.

        Example:
            {'id': 'evt_01HX3QB1', 'event': 'image.uploaded', 'topic': 'image.uploaded', 'project_id': 'proj_01HX3Q7',
                'data': {'id': 'img_01HX3Q9V7Y', 'filename': 'photo.jpg', 'size_bytes': 482113, 'mime_type': 'image/jpeg',
                'session_id': '7c9e6679-7425-40de-944b-e07fc1f90ae7'}, 'timestamp': '2026-12-01T09:45:03.000Z'}

    """

    data: EventData
    """ The `data` of an event. Image events carry the image fields; delivery events add
    `destination_id`/`status`/`error`; `session.completed` carries `session_id` and counts.
     """
    id: str | Unset = UNSET
    event: str | Unset = UNSET
    topic: str | Unset = UNSET
    project_id: str | Unset = UNSET
    timestamp: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        id = self.id

        event = self.event

        topic = self.topic

        project_id = self.project_id

        timestamp: str | Unset = UNSET
        if not isinstance(self.timestamp, Unset):
            timestamp = self.timestamp.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if event is not UNSET:
            field_dict["event"] = event
        if topic is not UNSET:
            field_dict["topic"] = topic
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_data import EventData

        d = dict(src_dict)
        data = EventData.from_dict(d.pop("data"))

        id = d.pop("id", UNSET)

        event = d.pop("event", UNSET)

        topic = d.pop("topic", UNSET)

        project_id = d.pop("project_id", UNSET)

        _timestamp = d.pop("timestamp", UNSET)
        timestamp: datetime.datetime | Unset
        if isinstance(_timestamp, Unset):
            timestamp = UNSET
        else:
            timestamp = datetime.datetime.fromisoformat(_timestamp)

        event_envelope = cls(
            data=data,
            id=id,
            event=event,
            topic=topic,
            project_id=project_id,
            timestamp=timestamp,
        )

        event_envelope.additional_properties = d
        return event_envelope

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
