from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.signature_method import SignatureMethod
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_webhook_request_custom_headers import CreateWebhookRequestCustomHeaders


T = TypeVar("T", bound="CreateWebhookRequest")


@_attrs_define
class CreateWebhookRequest:
    """A new event webhook. Topics accept wildcards such as `image.*`.

    Example:
        {'url': 'https://example.com/hooks/apertur', 'topics': ['image.uploaded'], 'signatureMethod': 'hmac_sha256'}

    """

    url: str
    topics: list[str]
    signature_method: SignatureMethod | Unset = UNSET
    max_retries: int | Unset = UNSET
    retry_intervals: list[int] | Unset = UNSET
    disable_after_failures: int | Unset = UNSET
    custom_headers: CreateWebhookRequestCustomHeaders | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        topics = self.topics

        signature_method: str | Unset = UNSET
        if not isinstance(self.signature_method, Unset):
            signature_method = self.signature_method.value

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
        field_dict.update(
            {
                "url": url,
                "topics": topics,
            }
        )
        if signature_method is not UNSET:
            field_dict["signatureMethod"] = signature_method
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
        from ..models.create_webhook_request_custom_headers import CreateWebhookRequestCustomHeaders

        d = dict(src_dict)
        url = d.pop("url")

        topics = cast(list[str], d.pop("topics"))

        _signature_method = d.pop("signatureMethod", UNSET)
        signature_method: SignatureMethod | Unset
        if isinstance(_signature_method, Unset):
            signature_method = UNSET
        else:
            signature_method = SignatureMethod(_signature_method)

        max_retries = d.pop("maxRetries", UNSET)

        retry_intervals = cast(list[int], d.pop("retryIntervals", UNSET))

        disable_after_failures = d.pop("disableAfterFailures", UNSET)

        _custom_headers = d.pop("customHeaders", UNSET)
        custom_headers: CreateWebhookRequestCustomHeaders | Unset
        if isinstance(_custom_headers, Unset):
            custom_headers = UNSET
        else:
            custom_headers = CreateWebhookRequestCustomHeaders.from_dict(_custom_headers)

        create_webhook_request = cls(
            url=url,
            topics=topics,
            signature_method=signature_method,
            max_retries=max_retries,
            retry_intervals=retry_intervals,
            disable_after_failures=disable_after_failures,
            custom_headers=custom_headers,
        )

        create_webhook_request.additional_properties = d
        return create_webhook_request

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
