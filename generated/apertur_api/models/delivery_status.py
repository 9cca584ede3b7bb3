from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.session_status import SessionStatus

if TYPE_CHECKING:
    from ..models.delivery_file import DeliveryFile


T = TypeVar("T", bound="DeliveryStatus")


@_attrs_define
class DeliveryStatus:
    """The delivery of every file of a session. `lastChanged` is the long-poll cursor: pass it back
    verbatim as `pollFrom`.

        Example:
            {'status': 'active', 'files': [{'record_id': 'img_01HX3Q9V7Y', 'filename': 'photo.jpg', 'size_bytes': 482113,
                'destinations': [{'destination_id': 'dest_01HX3Q8', 'type': 'webhook', 'name': 'Order images', 'status': 'sent',
                'attempts': 1, 'last_error': None}]}], 'lastChanged': '2026-06-12T09:44:41.919Z'}

    """

    status: SessionStatus
    files: list[DeliveryFile]
    last_changed: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)

        last_changed = self.last_changed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "files": files,
                "lastChanged": last_changed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_file import DeliveryFile

        d = dict(src_dict)
        status = SessionStatus(d.pop("status"))

        files = []
        _files = d.pop("files")
        for files_item_data in _files:
            files_item = DeliveryFile.from_dict(files_item_data)

            files.append(files_item)

        last_changed = d.pop("lastChanged")

        delivery_status = cls(
            status=status,
            files=files,
            last_changed=last_changed,
        )

        delivery_status.additional_properties = d
        return delivery_status

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
