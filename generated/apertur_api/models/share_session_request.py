from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.share_channel import ShareChannel
from ..types import UNSET, Unset

T = TypeVar("T", bound="ShareSessionRequest")


@_attrs_define
class ShareSessionRequest:
    """
    Example:
        {'channel': 'email', 'recipient': 'customer@example.com', 'note': 'Please send the photos of the damage.'}

    """

    channel: ShareChannel
    recipient: str
    sms_consent: bool | Unset = UNSET
    """ Must be true for sms. """
    note: str | Unset = UNSET
    """ Email only. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        recipient = self.recipient

        sms_consent = self.sms_consent

        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "recipient": recipient,
            }
        )
        if sms_consent is not UNSET:
            field_dict["sms_consent"] = sms_consent
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = ShareChannel(d.pop("channel"))

        recipient = d.pop("recipient")

        sms_consent = d.pop("sms_consent", UNSET)

        note = d.pop("note", UNSET)

        share_session_request = cls(
            channel=channel,
            recipient=recipient,
            sms_consent=sms_consent,
            note=note,
        )

        share_session_request.additional_properties = d
        return share_session_request

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
