from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.qr_specs_params import QrSpecsParams


T = TypeVar("T", bound="QrSpecs")


@_attrs_define
class QrSpecs:
    """
    Example:
        {'endpoint': '/api/v1/upload-sessions/7c9e6679-7425-40de-944b-e07fc1f90ae7/qr', 'formats': ['png', 'svg',
            'jpeg'], 'params': {'size': 'pixels'}}

    """

    endpoint: str | Unset = UNSET
    formats: list[str] | Unset = UNSET
    params: QrSpecsParams | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        endpoint = self.endpoint

        formats: list[str] | Unset = UNSET
        if not isinstance(self.formats, Unset):
            formats = self.formats

        params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = self.params.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint
        if formats is not UNSET:
            field_dict["formats"] = formats
        if params is not UNSET:
            field_dict["params"] = params

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.qr_specs_params import QrSpecsParams

        d = dict(src_dict)
        endpoint = d.pop("endpoint", UNSET)

        formats = cast(list[str], d.pop("formats", UNSET))

        _params = d.pop("params", UNSET)
        params: QrSpecsParams | Unset
        if isinstance(_params, Unset):
            params = UNSET
        else:
            params = QrSpecsParams.from_dict(_params)

        qr_specs = cls(
            endpoint=endpoint,
            formats=formats,
            params=params,
        )

        qr_specs.additional_properties = d
        return qr_specs

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
