from enum import StrEnum


class RealtimeEventName(StrEnum):
    CONNECTED = "connected"
    IMAGEDELIVERED = "image:delivered"
    IMAGEDELIVERING = "image:delivering"
    IMAGEFAILED = "image:failed"
    IMAGEREADY = "image:ready"
    SESSIONCOMPLETED = "session:completed"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> "RealtimeEventName | None":
        """Accept a value the spec does not know yet: a pseudo-member named UNKNOWN keeps it."""
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = "UNKNOWN"
        member._value_ = value
        return member
