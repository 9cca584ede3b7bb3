from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.environment import Environment
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.qr_specs import QrSpecs
    from ..models.session_destination_summary import SessionDestinationSummary


T = TypeVar("T", bound="CreateSessionResult")


@_attrs_define
class CreateSessionResult:
    """The new session. `id` and `uuid` carry the same value; `uuid` is a deprecated alias kept for
    older clients.

        Example:
            {'id': '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'uuid': '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'upload_url':
                'https://sandbox.apertur.ca/u/7c9e6679-7425-40de-944b-e07fc1f90ae7', 'qr_url':
                'https://sandbox.api.aptr.ca/api/v1/upload-sessions/7c9e6679-7425-40de-944b-e07fc1f90ae7/qr', 'destinations':
                [{'id': 'dest_01HX3Q8', 'type': 'webhook', 'name': 'Order images'}], 'long_polling': True, 'expires_at':
                '2026-12-02T09:44:41.919Z', 'password_protected': True, 'env': 'test'}

    """

    id: str
    uuid: str
    upload_url: str
    qr_url: str | Unset = UNSET
    short_url: str | Unset = UNSET
    qr_specs: QrSpecs | Unset = UNSET
    destinations: list[SessionDestinationSummary] | Unset = UNSET
    long_polling: bool | Unset = UNSET
    expires_at: datetime.datetime | Unset = UNSET
    password_protected: bool | Unset = UNSET
    env: Environment | Unset = UNSET
    """ From the key prefix (`aptr_test_` → test, anything else → live). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        uuid = self.uuid

        upload_url = self.upload_url

        qr_url = self.qr_url

        short_url = self.short_url

        qr_specs: dict[str, Any] | Unset = UNSET
        if not isinstance(self.qr_specs, Unset):
            qr_specs = self.qr_specs.to_dict()

        destinations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.destinations, Unset):
            destinations = []
            for destinations_item_data in self.destinations:
                destinations_item = destinations_item_data.to_dict()
                destinations.append(destinations_item)

        long_polling = self.long_polling

        expires_at: str | Unset = UNSET
        if not isinstance(self.expires_at, Unset):
            expires_at = self.expires_at.isoformat()

        password_protected = self.password_protected

        env: str | Unset = UNSET
        if not isinstance(self.env, Unset):
            env = self.env.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "uuid": uuid,
                "upload_url": upload_url,
            }
        )
        if qr_url is not UNSET:
            field_dict["qr_url"] = qr_url
        if short_url is not UNSET:
            field_dict["short_url"] = short_url
        if qr_specs is not UNSET:
            field_dict["qr_specs"] = qr_specs
        if destinations is not UNSET:
            field_dict["destinations"] = destinations
        if long_polling is not UNSET:
            field_dict["long_polling"] = long_polling
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if password_protected is not UNSET:
            field_dict["password_protected"] = password_protected
        if env is not UNSET:
            field_dict["env"] = env

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.qr_specs import QrSpecs
        from ..models.session_destination_summary import SessionDestinationSummary

        d = dict(src_dict)
        id = d.pop("id")

        uuid = d.pop("uuid")

        upload_url = d.pop("upload_url")

        qr_url = d.pop("qr_url", UNSET)

        short_url = d.pop("short_url", UNSET)

        _qr_specs = d.pop("qr_specs", UNSET)
        qr_specs: QrSpecs | Unset
        if isinstance(_qr_specs, Unset):
            qr_specs = UNSET
        else:
            qr_specs = QrSpecs.from_dict(_qr_specs)

        _destinations = d.pop("destinations", UNSET)
        destinations: list[SessionDestinationSummary] | Unset = UNSET
        if _destinations is not UNSET:
            destinations = []
            for destinations_item_data in _destinations:
                destinations_item = SessionDestinationSummary.from_dict(destinations_item_data)

                destinations.append(destinations_item)

        long_polling = d.pop("long_polling", UNSET)

        _expires_at = d.pop("expires_at", UNSET)
        expires_at: datetime.datetime | Unset
        if isinstance(_expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = datetime.datetime.fromisoformat(_expires_at)

        password_protected = d.pop("password_protected", UNSET)

        _env = d.pop("env", UNSET)
        env: Environment | Unset
        if isinstance(_env, Unset):
            env = UNSET
        else:
            env = Environment(_env)

        create_session_result = cls(
            id=id,
            uuid=uuid,
            upload_url=upload_url,
            qr_url=qr_url,
            short_url=short_url,
            qr_specs=qr_specs,
            destinations=destinations,
            long_polling=long_polling,
            expires_at=expires_at,
            password_protected=password_protected,
            env=env,
        )

        create_session_result.additional_properties = d
        return create_session_result

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
