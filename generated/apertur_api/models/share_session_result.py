from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ShareSessionResult")


@_attrs_define
class ShareSessionResult:
    """
    Example:
        {'ok': True, 'channel': 'email', 'recipient': 'customer@example.com', 'short_url': 'https://aptr.ca/s/x7Kq2'}

    """

    ok: bool
    channel: str | Unset = UNSET
    recipient: str | Unset = UNSET
    short_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        channel = self.channel

        recipient = self.recipient

        short_url = self.short_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if short_url is not UNSET:
            field_dict["short_url"] = short_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ok = d.pop("ok")

        channel = d.pop("channel", UNSET)

        recipient = d.pop("recipient", UNSET)

        short_url = d.pop("short_url", UNSET)

        share_session_result = cls(
            ok=ok,
            channel=channel,
            recipient=recipient,
            short_url=short_url,
        )

        share_session_result.additional_properties = d
        return share_session_result

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
