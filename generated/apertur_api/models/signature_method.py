from enum import StrEnum


class SignatureMethod(StrEnum):
    HMAC_SHA256 = "hmac_sha256"
    SVIX = "svix"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> "SignatureMethod | None":
        """Accept a value the spec does not know yet: a pseudo-member named UNKNOWN keeps it."""
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = "UNKNOWN"
        member._value_ = value
        return member
