from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EncryptedEnvelope")


@_attrs_define
class EncryptedEnvelope:
    """The content of the `file` part of an encrypted upload: AES-256-GCM with a fresh
    32-byte key and 12-byte IV, the 16-byte tag appended to the ciphertext, the key wrapped with
    RSA-OAEP (SHA-256, MGF1-SHA-256, empty label); standard base64 with padding.

        Example:
            {'encryptedKey': 'dGhpcyBpcyBub3QgYSByZWFsIGtleQ==', 'iv': 'AAECAwQFBgcICQoL', 'encryptedData': 'q83vEjRWeJA=',
                'algorithm': 'RSA-OAEP+AES-256-GCM'}

    """

    encrypted_key: str
    iv: str
    encrypted_data: str
    algorithm: Literal["RSA-OAEP+AES-256-GCM"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        encrypted_key = self.encrypted_key

        iv = self.iv

        encrypted_data = self.encrypted_data

        algorithm = self.algorithm

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "encryptedKey": encrypted_key,
                "iv": iv,
                "encryptedData": encrypted_data,
                "algorithm": algorithm,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        encrypted_key = d.pop("encryptedKey")

        iv = d.pop("iv")

        encrypted_data = d.pop("encryptedData")

        algorithm = cast(Literal["RSA-OAEP+AES-256-GCM"], d.pop("algorithm"))
        if algorithm != "RSA-OAEP+AES-256-GCM":
            raise ValueError(
                f"algorithm must match const 'RSA-OAEP+AES-256-GCM', got '{algorithm}'"
            )

        encrypted_envelope = cls(
            encrypted_key=encrypted_key,
            iv=iv,
            encrypted_data=encrypted_data,
            algorithm=algorithm,
        )

        encrypted_envelope.additional_properties = d
        return encrypted_envelope

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
