from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.signature_method import SignatureMethod
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_webhook_custom_headers import EventWebhookCustomHeaders


T = TypeVar("T", bound="EventWebhook")


@_attrs_define
class EventWebhook:
    """
    Example:
        {'id': 'wh_01HX3QA', 'projectId': 'proj_01HX3Q7', 'url': 'https://example.com/hooks/apertur', 'secret':
            '8f2b1c0d9e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c', 'signatureMethod': 'hmac_sha256', 'topics':
            ['image.uploaded', 'session.completed'], 'isActive': True, 'maxRetries': 3, 'retryIntervals': [10, 60, 300],
            'disableAfterFailures': 10, 'consecutiveFailures': 0, 'customHeaders': {'X-Team': 'imaging'}, 'disabledAt':
            None, 'createdAt': '2026-12-01T09:40:00.000Z', 'updatedAt': '2026-12-01T09:40:00.000Z'}

    """

    id: str
    url: str
    topics: list[str]
    project_id: str | Unset = UNSET
    secret: str | Unset = UNSET
    """ The signing secret (hex; the svix method hex-decodes it). """
    signature_method: SignatureMethod | Unset = UNSET
    is_active: bool | Unset = UNSET
    max_retries: int | Unset = UNSET
    retry_intervals: list[int] | Unset = UNSET
    disable_after_failures: int | Unset = UNSET
    consecutive_failures: int | Unset = UNSET
    custom_headers: EventWebhookCustomHeaders | Unset = UNSET
    disabled_at: datetime.datetime | Unset | None = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        url = self.url

        topics = self.topics

        project_id = self.project_id

        secret = self.secret

        signature_method: str | Unset = UNSET
        if not isinstance(self.signature_method, Unset):
            signature_method = self.signature_method.value

        is_active = self.is_active

        max_retries = self.max_retries

        retry_intervals: list[int] | Unset = UNSET
        if not isinstance(self.retry_intervals, Unset):
            retry_intervals = self.retry_intervals

        disable_after_failures = self.disable_after_failures

        consecutive_failures = self.consecutive_failures

        custom_headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.custom_headers, Unset):
            custom_headers = self.custom_headers.to_dict()

        disabled_at: str | Unset | None
        if isinstance(self.disabled_at, Unset):
            disabled_at = UNSET
        elif isinstance(self.disabled_at, datetime.datetime):
            disabled_at = self.disabled_at.isoformat()
        else:
            disabled_at = self.disabled_at

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
                "url": url,
                "topics": topics,
            }
        )
        if project_id is not UNSET:
            field_dict["projectId"] = project_id
        if secret is not UNSET:
            field_dict["secret"] = secret
        if signature_method is not UNSET:
            field_dict["signatureMethod"] = signature_method
        if is_active is not UNSET:
            field_dict["isActive"] = is_active
        if max_retries is not UNSET:
            field_dict["maxRetries"] = max_retries
        if retry_intervals is not UNSET:
            field_dict["retryIntervals"] = retry_intervals
        if disable_after_failures is not UNSET:
            field_dict["disableAfterFailures"] = disable_after_failures
        if consecutive_failures is not UNSET:
            field_dict["consecutiveFailures"] = consecutive_failures
        if custom_headers is not UNSET:
            field_dict["customHeaders"] = custom_headers
        if disabled_at is not UNSET:
            field_dict["disabledAt"] = disabled_at
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_webhook_custom_headers import EventWebhookCustomHeaders

        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        topics = cast(list[str], d.pop("topics"))

        project_id = d.pop("projectId", UNSET)

        secret = d.pop("secret", UNSET)

        _signature_method = d.pop("signatureMethod", UNSET)
        signature_method: SignatureMethod | Unset
        if isinstance(_signature_method, Unset):
            signature_method = UNSET
        else:
            signature_method = SignatureMethod(_signature_method)

        is_active = d.pop("isActive", UNSET)

        max_retries = d.pop("maxRetries", UNSET)

        retry_intervals = cast(list[int], d.pop("retryIntervals", UNSET))

        disable_after_failures = d.pop("disableAfterFailures", UNSET)

        consecutive_failures = d.pop("consecutiveFailures", UNSET)

        _custom_headers = d.pop("customHeaders", UNSET)
        custom_headers: EventWebhookCustomHeaders | Unset
        if isinstance(_custom_headers, Unset):
            custom_headers = UNSET
        else:
            custom_headers = EventWebhookCustomHeaders.from_dict(_custom_headers)

        def _parse_disabled_at(data: object) -> datetime.datetime | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                disabled_at_type_0 = datetime.datetime.fromisoformat(data)

                return disabled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        disabled_at = _parse_disabled_at(d.pop("disabledAt", UNSET))

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

        event_webhook = cls(
            id=id,
            url=url,
            topics=topics,
            project_id=project_id,
            secret=secret,
            signature_method=signature_method,
            is_active=is_active,
            max_retries=max_retries,
            retry_intervals=retry_intervals,
            disable_after_failures=disable_after_failures,
            consecutive_failures=consecutive_failures,
            custom_headers=custom_headers,
            disabled_at=disabled_at,
            created_at=created_at,
            updated_at=updated_at,
        )

        event_webhook.additional_properties = d
        return event_webhook

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
