from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.api_key import ApiKey


T = TypeVar("T", bound="CreateApiKeyResult")


@_attrs_define
class CreateApiKeyResult:
    """
    Example:
        {'key': {'id': 'key_01HX3Q9', 'prefix': 'aptr_test_3fA9', 'label': 'Mobile app key', 'env': 'test', 'isActive':
            True}, 'plainTextKey': 'aptr_test_3fA9c0ffee0123456789abcdef01'}

    """

    key: ApiKey
    plain_text_key: str
    """ Shown once. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key.to_dict()

        plain_text_key = self.plain_text_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "plainTextKey": plain_text_key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_key import ApiKey

        d = dict(src_dict)
        key = ApiKey.from_dict(d.pop("key"))

        plain_text_key = d.pop("plainTextKey")

        create_api_key_result = cls(
            key=key,
            plain_text_key=plain_text_key,
        )

        create_api_key_result.additional_properties = d
        return create_api_key_result

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
