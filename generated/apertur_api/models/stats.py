from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.top_project import TopProject


T = TypeVar("T", bound="Stats")


@_attrs_define
class Stats:
    """Account statistics. `sessionsInRange` is the session count of the period;
    `sessionsThisMonth` is its older name, still sent.

        Example:
            {'sessionsInRange': 12, 'sessionsThisMonth': 12, 'sessionsTotal': 40, 'imagesUploaded': 118, 'imagesDelivered':
                117, 'deliverySuccessRate': 99.2, 'totalProjects': 1, 'activeKeys': 2, 'topProjects': [{'id': 'proj_01HX3Q7',
                'name': 'Claims', 'sessions': 12}]}

    """

    sessions_in_range: int | Unset = UNSET
    sessions_this_month: int | Unset = UNSET
    sessions_total: int | Unset = UNSET
    images_uploaded: int | Unset = UNSET
    images_delivered: int | Unset = UNSET
    delivery_success_rate: float | Unset = UNSET
    """ Percent, 0 to 100. """
    total_projects: int | Unset = UNSET
    active_keys: int | Unset = UNSET
    top_projects: list[TopProject] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sessions_in_range = self.sessions_in_range

        sessions_this_month = self.sessions_this_month

        sessions_total = self.sessions_total

        images_uploaded = self.images_uploaded

        images_delivered = self.images_delivered

        delivery_success_rate = self.delivery_success_rate

        total_projects = self.total_projects

        active_keys = self.active_keys

        top_projects: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.top_projects, Unset):
            top_projects = []
            for top_projects_item_data in self.top_projects:
                top_projects_item = top_projects_item_data.to_dict()
                top_projects.append(top_projects_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if sessions_in_range is not UNSET:
            field_dict["sessionsInRange"] = sessions_in_range
        if sessions_this_month is not UNSET:
            field_dict["sessionsThisMonth"] = sessions_this_month
        if sessions_total is not UNSET:
            field_dict["sessionsTotal"] = sessions_total
        if images_uploaded is not UNSET:
            field_dict["imagesUploaded"] = images_uploaded
        if images_delivered is not UNSET:
            field_dict["imagesDelivered"] = images_delivered
        if delivery_success_rate is not UNSET:
            field_dict["deliverySuccessRate"] = delivery_success_rate
        if total_projects is not UNSET:
            field_dict["totalProjects"] = total_projects
        if active_keys is not UNSET:
            field_dict["activeKeys"] = active_keys
        if top_projects is not UNSET:
            field_dict["topProjects"] = top_projects

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.top_project import TopProject

        d = dict(src_dict)
        sessions_in_range = d.pop("sessionsInRange", UNSET)

        sessions_this_month = d.pop("sessionsThisMonth", UNSET)

        sessions_total = d.pop("sessionsTotal", UNSET)

        images_uploaded = d.pop("imagesUploaded", UNSET)

        images_delivered = d.pop("imagesDelivered", UNSET)

        delivery_success_rate = d.pop("deliverySuccessRate", UNSET)

        total_projects = d.pop("totalProjects", UNSET)

        active_keys = d.pop("activeKeys", UNSET)

        _top_projects = d.pop("topProjects", UNSET)
        top_projects: list[TopProject] | Unset = UNSET
        if _top_projects is not UNSET:
            top_projects = []
            for top_projects_item_data in _top_projects:
                top_projects_item = TopProject.from_dict(top_projects_item_data)

                top_projects.append(top_projects_item)

        stats = cls(
            sessions_in_range=sessions_in_range,
            sessions_this_month=sessions_this_month,
            sessions_total=sessions_total,
            images_uploaded=images_uploaded,
            images_delivered=images_delivered,
            delivery_success_rate=delivery_success_rate,
            total_projects=total_projects,
            active_keys=active_keys,
            top_projects=top_projects,
        )

        stats.additional_properties = d
        return stats

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
