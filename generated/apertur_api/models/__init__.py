"""Contains all the data models used in inputs/outputs"""

from .ack_request import AckRequest
from .ack_result import AckResult
from .api_key import ApiKey
from .create_api_key_request import CreateApiKeyRequest
from .create_api_key_result import CreateApiKeyResult
from .create_destination_request import CreateDestinationRequest
from .create_destination_request_config import CreateDestinationRequestConfig
from .create_session_request import CreateSessionRequest
from .create_session_request_metadata import CreateSessionRequestMetadata
from .create_session_result import CreateSessionResult
from .create_webhook_request import CreateWebhookRequest
from .create_webhook_request_custom_headers import CreateWebhookRequestCustomHeaders
from .delivery_file import DeliveryFile
from .delivery_log_status import DeliveryLogStatus
from .delivery_state import DeliveryState
from .delivery_status import DeliveryStatus
from .destination import Destination
from .destination_config import DestinationConfig
from .destination_delivery import DestinationDelivery
from .destination_test_result import DestinationTestResult
from .destinations_breakdown_item import DestinationsBreakdownItem
from .encrypted_envelope import EncryptedEnvelope
from .encryption_mode import EncryptionMode
from .environment import Environment
from .error import Error
from .event_data import EventData
from .event_data_metadata import EventDataMetadata
from .event_envelope import EventEnvelope
from .event_webhook import EventWebhook
from .event_webhook_custom_headers import EventWebhookCustomHeaders
from .image_mime_type import ImageMimeType
from .image_webhook_payload import ImageWebhookPayload
from .key_destination import KeyDestination
from .key_destinations_result import KeyDestinationsResult
from .message_result import MessageResult
from .poll_image import PollImage
from .poll_result import PollResult
from .qr_format import QrFormat
from .qr_specs import QrSpecs
from .qr_specs_params import QrSpecsParams
from .qr_style import QrStyle
from .realtime_image_event import RealtimeImageEvent
from .server_key import ServerKey
from .session import Session
from .session_destination_summary import SessionDestinationSummary
from .session_join_ack import SessionJoinAck
from .session_row import SessionRow
from .session_row_status import SessionRowStatus
from .session_status import SessionStatus
from .sessions_page import SessionsPage
from .set_key_destinations_request import SetKeyDestinationsRequest
from .share_channel import ShareChannel
from .share_session_request import ShareSessionRequest
from .share_session_result import ShareSessionResult
from .signature_method import SignatureMethod
from .stats import Stats
from .top_project import TopProject
from .update_api_key_request import UpdateApiKeyRequest
from .update_destination_request import UpdateDestinationRequest
from .update_destination_request_config import UpdateDestinationRequestConfig
from .update_session_request import UpdateSessionRequest
from .update_webhook_request import UpdateWebhookRequest
from .update_webhook_request_custom_headers import UpdateWebhookRequestCustomHeaders
from .upload_image_body import UploadImageBody
from .upload_result import UploadResult
from .upload_row import UploadRow
from .upload_status import UploadStatus
from .uploads_page import UploadsPage
from .verify_password_request import VerifyPasswordRequest
from .verify_password_result import VerifyPasswordResult
from .webhook_deliveries_page import WebhookDeliveriesPage
from .webhook_delivery import WebhookDelivery

__all__ = (
    "AckRequest",
    "AckResult",
    "ApiKey",
    "CreateApiKeyRequest",
    "CreateApiKeyResult",
    "CreateDestinationRequest",
    "CreateDestinationRequestConfig",
    "CreateSessionRequest",
    "CreateSessionRequestMetadata",
    "CreateSessionResult",
    "CreateWebhookRequest",
    "CreateWebhookRequestCustomHeaders",
    "DeliveryFile",
    "DeliveryLogStatus",
    "DeliveryState",
    "DeliveryStatus",
    "Destination",
    "DestinationConfig",
    "DestinationDelivery",
    "DestinationTestResult",
    "DestinationsBreakdownItem",
    "EncryptedEnvelope",
    "EncryptionMode",
    "Environment",
    "Error",
    "EventData",
    "EventDataMetadata",
    "EventEnvelope",
    "EventWebhook",
    "EventWebhookCustomHeaders",
    "ImageMimeType",
    "ImageWebhookPayload",
    "KeyDestination",
    "KeyDestinationsResult",
    "MessageResult",
    "PollImage",
    "PollResult",
    "QrFormat",
    "QrSpecs",
    "QrSpecsParams",
    "QrStyle",
    "RealtimeImageEvent",
    "ServerKey",
    "Session",
    "SessionDestinationSummary",
    "SessionJoinAck",
    "SessionRow",
    "SessionRowStatus",
    "SessionStatus",
    "SessionsPage",
    "SetKeyDestinationsRequest",
    "ShareChannel",
    "ShareSessionRequest",
    "ShareSessionResult",
    "SignatureMethod",
    "Stats",
    "TopProject",
    "UpdateApiKeyRequest",
    "UpdateDestinationRequest",
    "UpdateDestinationRequestConfig",
    "UpdateSessionRequest",
    "UpdateWebhookRequest",
    "UpdateWebhookRequestCustomHeaders",
    "UploadImageBody",
    "UploadResult",
    "UploadRow",
    "UploadStatus",
    "UploadsPage",
    "VerifyPasswordRequest",
    "VerifyPasswordResult",
    "WebhookDeliveriesPage",
    "WebhookDelivery",
)
