from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_log_status import DeliveryLogStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookDelivery")


@_attrs_define
class WebhookDelivery:
    """
    Example:
        {'id': 'del_01HX3QB2', 'eventLogId': 'evt_01HX3QB1', 'topic': 'image.uploaded', 'status': 'sent', 'attempts': 1,
            'responseCode': 200, 'responseBody': 'ok', 'durationMs': 42, 'lastError': None, 'nextRetryAt': None,
            'createdAt': '2026-12-01T09:45:03.000Z', 'updatedAt': '2026-12-01T09:45:03.000Z'}

    """

    id: str
    status: DeliveryLogStatus
    event_log_id: str | Unset = UNSET
    topic: str | Unset = UNSET
    attempts: int | Unset = UNSET
    response_code: int | Unset | None = UNSET
    response_body: str | Unset | None = UNSET
    duration_ms: int | Unset = UNSET
    last_error: str | Unset | None = UNSET
    next_retry_at: datetime.datetime | Unset | None = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        event_log_id = self.event_log_id

        topic = self.topic

        attempts = self.attempts

        response_code: int | Unset | None
        if isinstance(self.response_code, Unset):
            response_code = UNSET
        else:
            response_code = self.response_code

        response_body: str | Unset | None
        if isinstance(self.response_body, Unset):
            response_body = UNSET
        else:
            response_body = self.response_body

        duration_ms = self.duration_ms

        last_error: str | Unset | None
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        next_retry_at: str | Unset | None
        if isinstance(self.next_retry_at, Unset):
            next_retry_at = UNSET
        elif isinstance(self.next_retry_at, datetime.datetime):
            next_retry_at = self.next_retry_at.isoformat()
        else:
            next_retry_at = self.next_retry_at

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
            }
        )
        if event_log_id is not UNSET:
            field_dict["eventLogId"] = event_log_id
        if topic is not UNSET:
            field_dict["topic"] = topic
        if attempts is not UNSET:
            field_dict["attempts"] = attempts
        if response_code is not UNSET:
            field_dict["responseCode"] = response_code
        if response_body is not UNSET:
            field_dict["responseBody"] = response_body
        if duration_ms is not UNSET:
            field_dict["durationMs"] = duration_ms
        if last_error is not UNSET:
            field_dict["lastError"] = last_error
        if next_retry_at is not UNSET:
            field_dict["nextRetryAt"] = next_retry_at
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        status = DeliveryLogStatus(d.pop("status"))

        event_log_id = d.pop("eventLogId", UNSET)

        topic = d.pop("topic", UNSET)

        attempts = d.pop("attempts", UNSET)

        def _parse_response_code(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        response_code = _parse_response_code(d.pop("responseCode", UNSET))

        def _parse_response_body(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        response_body = _parse_response_body(d.pop("responseBody", UNSET))

        duration_ms = d.pop("durationMs", UNSET)

        def _parse_last_error(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("lastError", UNSET))

        def _parse_next_retry_at(data: object) -> datetime.datetime | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_retry_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_retry_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        next_retry_at = _parse_next_retry_at(d.pop("nextRetryAt", UNSET))

        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _updated_at = d.pop("updatedAt", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)

        webhook_delivery = cls(
            id=id,
            status=status,
            event_log_id=event_log_id,
            topic=topic,
            attempts=attempts,
            response_code=response_code,
            response_body=response_body,
            duration_ms=duration_ms,
            last_error=last_error,
            next_retry_at=next_retry_at,
            created_at=created_at,
            updated_at=updated_at,
        )

        webhook_delivery.additional_properties = d
        return webhook_delivery

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
