from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.update_webhook_request_custom_headers import UpdateWebhookRequestCustomHeaders


T = TypeVar("T", bound="UpdateWebhookRequest")


@_attrs_define
class UpdateWebhookRequest:
    """Omitted fields are unchanged; the signature method cannot be changed.

    Example:
        {'topics': ['image.*'], 'maxRetries': 5}

    """

    url: str | Unset = UNSET
    topics: list[str] | Unset = UNSET
    is_active: bool | Unset = UNSET
    max_retries: int | Unset = UNSET
    retry_intervals: list[int] | Unset = UNSET
    disable_after_failures: int | Unset = UNSET
    custom_headers: UpdateWebhookRequestCustomHeaders | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        topics: list[str] | Unset = UNSET
        if not isinstance(self.topics, Unset):
            topics = self.topics

        is_active = self.is_active

        max_retries = self.max_retries

        retry_intervals: list[int] | Unset = UNSET
        if not isinstance(self.retry_intervals, Unset):
            retry_intervals = self.retry_intervals

        disable_after_failures = self.disable_after_failures

        custom_headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.custom_headers, Unset):
            custom_headers = self.custom_headers.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if topics is not UNSET:
            field_dict["topics"] = topics
        if is_active is not UNSET:
            field_dict["isActive"] = is_active
        if max_retries is not UNSET:
            field_dict["maxRetries"] = max_retries
        if retry_intervals is not UNSET:
            field_dict["retryIntervals"] = retry_intervals
        if disable_after_failures is not UNSET:
            field_dict["disableAfterFailures"] = disable_after_failures
        if custom_headers is not UNSET:
            field_dict["customHeaders"] = custom_headers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.update_webhook_request_custom_headers import UpdateWebhookRequestCustomHeaders

        d = dict(src_dict)
        url = d.pop("url", UNSET)

        topics = cast(list[str], d.pop("topics", UNSET))

        is_active = d.pop("isActive", UNSET)

        max_retries = d.pop("maxRetries", UNSET)

        retry_intervals = cast(list[int], d.pop("retryIntervals", UNSET))

        disable_after_failures = d.pop("disableAfterFailures", UNSET)

        _custom_headers = d.pop("customHeaders", UNSET)
        custom_headers: UpdateWebhookRequestCustomHeaders | Unset
        if isinstance(_custom_headers, Unset):
            custom_headers = UNSET
        else:
            custom_headers = UpdateWebhookRequestCustomHeaders.from_dict(_custom_headers)

        update_webhook_request = cls(
            url=url,
            topics=topics,
            is_active=is_active,
            max_retries=max_retries,
            retry_intervals=retry_intervals,
            disable_after_failures=disable_after_failures,
            custom_headers=custom_headers,
        )

        update_webhook_request.additional_properties = d
        return update_webhook_request

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
