from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SessionCompletedEvent")


@_attrs_define
class SessionCompletedEvent:
    """The data of `session:completed`, sent when the session reaches its image limit.

    Example:
        {'sessionId': '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'imagesCount': 5}

    """

    session_id: str
    images_count: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        images_count = self.images_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sessionId": session_id,
            }
        )
        if images_count is not UNSET:
            field_dict["imagesCount"] = images_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        session_id = d.pop("sessionId")

        images_count = d.pop("imagesCount", UNSET)

        session_completed_event = cls(
            session_id=session_id,
            images_count=images_count,
        )

        session_completed_event.additional_properties = d
        return session_completed_event

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
