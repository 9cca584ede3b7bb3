from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.environment import Environment
from ..models.session_row_status import SessionRowStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="SessionRow")


@_attrs_define
class SessionRow:
    """A session in the project's lists.

    Example:
        {'id': '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'createdAt': '2026-12-01T09:44:41.919Z', 'expiresAt':
            '2026-12-02T09:44:41.919Z', 'status': 'active', 'projectId': 'proj_01HX3Q7', 'projectName': 'Claims',
            'imagesCount': 3, 'imagesDelivered': 2, 'imagesFailed': 0, 'destinationsCount': 1, 'tags': ['order-1234'],
            'longPollingEnabled': True, 'label': None, 'env': 'test'}

    """

    id: str
    created_at: datetime.datetime | Unset = UNSET
    expires_at: datetime.datetime | Unset = UNSET
    status: SessionRowStatus | Unset = UNSET
    """ The status of a listed session (one more value than a session's status, `failed`). """
    project_id: str | Unset = UNSET
    project_name: str | Unset = UNSET
    images_count: int | Unset = UNSET
    images_delivered: int | Unset = UNSET
    images_failed: int | Unset = UNSET
    destinations_count: int | Unset = UNSET
    tags: list[str] | Unset | None = UNSET
    long_polling_enabled: bool | Unset = UNSET
    label: str | Unset | None = UNSET
    env: Environment | Unset = UNSET
    """ From the key prefix (`aptr_test_` → test, anything else → live). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        expires_at: str | Unset = UNSET
        if not isinstance(self.expires_at, Unset):
            expires_at = self.expires_at.isoformat()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        project_id = self.project_id

        project_name = self.project_name

        images_count = self.images_count

        images_delivered = self.images_delivered

        images_failed = self.images_failed

        destinations_count = self.destinations_count

        tags: list[str] | Unset | None
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags

        else:
            tags = self.tags

        long_polling_enabled = self.long_polling_enabled

        label: str | Unset | None
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        env: str | Unset = UNSET
        if not isinstance(self.env, Unset):
            env = self.env.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at
        if status is not UNSET:
            field_dict["status"] = status
        if project_id is not UNSET:
            field_dict["projectId"] = project_id
        if project_name is not UNSET:
            field_dict["projectName"] = project_name
        if images_count is not UNSET:
            field_dict["imagesCount"] = images_count
        if images_delivered is not UNSET:
            field_dict["imagesDelivered"] = images_delivered
        if images_failed is not UNSET:
            field_dict["imagesFailed"] = images_failed
        if destinations_count is not UNSET:
            field_dict["destinationsCount"] = destinations_count
        if tags is not UNSET:
            field_dict["tags"] = tags
        if long_polling_enabled is not UNSET:
            field_dict["longPollingEnabled"] = long_polling_enabled
        if label is not UNSET:
            field_dict["label"] = label
        if env is not UNSET:
            field_dict["env"] = env

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _expires_at = d.pop("expiresAt", UNSET)
        expires_at: datetime.datetime | Unset
        if isinstance(_expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = datetime.datetime.fromisoformat(_expires_at)

        _status = d.pop("status", UNSET)
        status: SessionRowStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = SessionRowStatus(_status)

        project_id = d.pop("projectId", UNSET)

        project_name = d.pop("projectName", UNSET)

        images_count = d.pop("imagesCount", UNSET)

        images_delivered = d.pop("imagesDelivered", UNSET)

        images_failed = d.pop("imagesFailed", UNSET)

        destinations_count = d.pop("destinationsCount", UNSET)

        def _parse_tags(data: object) -> list[str] | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        long_polling_enabled = d.pop("longPollingEnabled", UNSET)

        def _parse_label(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))

        _env = d.pop("env", UNSET)
        env: Environment | Unset
        if isinstance(_env, Unset):
            env = UNSET
        else:
            env = Environment(_env)

        session_row = cls(
            id=id,
            created_at=created_at,
            expires_at=expires_at,
            status=status,
            project_id=project_id,
            project_name=project_name,
            images_count=images_count,
            images_delivered=images_delivered,
            images_failed=images_failed,
            destinations_count=destinations_count,
            tags=tags,
            long_polling_enabled=long_polling_enabled,
            label=label,
            env=env,
        )

        session_row.additional_properties = d
        return session_row

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
