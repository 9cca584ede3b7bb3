from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.environment import Environment
from ..models.upload_status import UploadStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.destinations_breakdown_item import DestinationsBreakdownItem


T = TypeVar("T", bound="UploadRow")


@_attrs_define
class UploadRow:
    """An upload in the project's history.

    Example:
        {'id': 'img_01HX3Q9V7Y', 'filename': 'photo.jpg', 'sizeBytes': 482113, 'mimeType': 'image/jpeg', 'source':
            'camera', 'isEncrypted': False, 'env': 'test', 'createdAt': '2026-12-01T09:45:02.120Z', 'sessionId':
            '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'projectId': 'proj_01HX3Q7', 'projectName': 'Claims',
            'destinationsTotal': 1, 'destinationsDelivered': 1, 'destinationsFailed': 0, 'destinationsBreakdown': [{'type':
            'webhook', 'count': 1}], 'status': 'delivered'}

    """

    id: str
    filename: str | Unset = UNSET
    size_bytes: int | Unset = UNSET
    mime_type: str | Unset = UNSET
    source: str | Unset = UNSET
    is_encrypted: bool | Unset = UNSET
    env: Environment | Unset = UNSET
    """ From the key prefix (`aptr_test_` → test, anything else → live). """
    created_at: datetime.datetime | Unset = UNSET
    session_id: str | Unset = UNSET
    project_id: str | Unset = UNSET
    project_name: str | Unset = UNSET
    destinations_total: int | Unset = UNSET
    destinations_delivered: int | Unset = UNSET
    destinations_failed: int | Unset = UNSET
    destinations_breakdown: list[DestinationsBreakdownItem] | Unset = UNSET
    status: UploadStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        filename = self.filename

        size_bytes = self.size_bytes

        mime_type = self.mime_type

        source = self.source

        is_encrypted = self.is_encrypted

        env: str | Unset = UNSET
        if not isinstance(self.env, Unset):
            env = self.env.value

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        session_id = self.session_id

        project_id = self.project_id

        project_name = self.project_name

        destinations_total = self.destinations_total

        destinations_delivered = self.destinations_delivered

        destinations_failed = self.destinations_failed

        destinations_breakdown: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.destinations_breakdown, Unset):
            destinations_breakdown = []
            for destinations_breakdown_item_data in self.destinations_breakdown:
                destinations_breakdown_item = destinations_breakdown_item_data.to_dict()
                destinations_breakdown.append(destinations_breakdown_item)

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if filename is not UNSET:
            field_dict["filename"] = filename
        if size_bytes is not UNSET:
            field_dict["sizeBytes"] = size_bytes
        if mime_type is not UNSET:
            field_dict["mimeType"] = mime_type
        if source is not UNSET:
            field_dict["source"] = source
        if is_encrypted is not UNSET:
            field_dict["isEncrypted"] = is_encrypted
        if env is not UNSET:
            field_dict["env"] = env
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if session_id is not UNSET:
            field_dict["sessionId"] = session_id
        if project_id is not UNSET:
            field_dict["projectId"] = project_id
        if project_name is not UNSET:
            field_dict["projectName"] = project_name
        if destinations_total is not UNSET:
            field_dict["destinationsTotal"] = destinations_total
        if destinations_delivered is not UNSET:
            field_dict["destinationsDelivered"] = destinations_delivered
        if destinations_failed is not UNSET:
            field_dict["destinationsFailed"] = destinations_failed
        if destinations_breakdown is not UNSET:
            field_dict["destinationsBreakdown"] = destinations_breakdown
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.destinations_breakdown_item import DestinationsBreakdownItem

        d = dict(src_dict)
        id = d.pop("id")

        filename = d.pop("filename", UNSET)

        size_bytes = d.pop("sizeBytes", UNSET)

        mime_type = d.pop("mimeType", UNSET)

        source = d.pop("source", UNSET)

        is_encrypted = d.pop("isEncrypted", UNSET)

        _env = d.pop("env", UNSET)
        env: Environment | Unset
        if isinstance(_env, Unset):
            env = UNSET
        else:
            env = Environment(_env)

        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        session_id = d.pop("sessionId", UNSET)

        project_id = d.pop("projectId", UNSET)

        project_name = d.pop("projectName", UNSET)

        destinations_total = d.pop("destinationsTotal", UNSET)

        destinations_delivered = d.pop("destinationsDelivered", UNSET)

        destinations_failed = d.pop("destinationsFailed", UNSET)

        _destinations_breakdown = d.pop("destinationsBreakdown", UNSET)
        destinations_breakdown: list[DestinationsBreakdownItem] | Unset = UNSET
        if _destinations_breakdown is not UNSET:
            destinations_breakdown = []
            for destinations_breakdown_item_data in _destinations_breakdown:
                destinations_breakdown_item = DestinationsBreakdownItem.from_dict(
                    destinations_breakdown_item_data
                )

                destinations_breakdown.append(destinations_breakdown_item)

        _status = d.pop("status", UNSET)
        status: UploadStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = UploadStatus(_status)

        upload_row = cls(
            id=id,
            filename=filename,
            size_bytes=size_bytes,
            mime_type=mime_type,
            source=source,
            is_encrypted=is_encrypted,
            env=env,
            created_at=created_at,
            session_id=session_id,
            project_id=project_id,
            project_name=project_name,
            destinations_total=destinations_total,
            destinations_delivered=destinations_delivered,
            destinations_failed=destinations_failed,
            destinations_breakdown=destinations_breakdown,
            status=status,
        )

        upload_row.additional_properties = d
        return upload_row

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
