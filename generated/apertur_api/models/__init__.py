"""Contains all the data models used in inputs/outputs"""

from .ack_request import AckRequest
from .ack_result import AckResult
from .api_key import ApiKey
from .connected_event import ConnectedEvent
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
from .realtime_event_name import RealtimeEventName
from .realtime_image_event import RealtimeImageEvent
from .server_key import ServerKey
from .session import Session
from .session_completed_event import SessionCompletedEvent
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

WIRE_FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "AckRequest": {},
    "AckResult": {
        "status": ("str", False),
    },
    "ApiKey": {
        "id": ("str", True),
        "label": ("str", True),
        "prefix": ("str", False),
        "env": ("enum", False),
        "isActive": ("bool", False),
        "lastUsedAt": ("datetime|null", False),
        "maxImages": ("int|null", False),
        "allowedMimeTypes": ("list[str]", False),
        "maxImageDimension": ("int|null", False),
        "longPollingEnabled": ("bool", False),
        "defaultDestinations": ("list[str]", False),
        "allowedIps": ("list[str]", False),
        "allowedDomains": ("list[str]", False),
        "totpEnabled": ("bool", False),
        "clientCertEnabled": ("bool", False),
        "clientCertFingerprint": ("str|null", False),
        "createdAt": ("datetime", False),
    },
    "ConnectedEvent": {
        "sessionId": ("str", True),
    },
    "CreateApiKeyRequest": {
        "label": ("str", True),
        "maxImages": ("int|null", False),
        "allowedMimeTypes": ("list[str]", False),
        "maxImageDimension": ("int|null", False),
    },
    "CreateApiKeyResult": {
        "key": ("model", True),
        "plainTextKey": ("str", True),
    },
    "CreateDestinationRequest": {
        "type": ("str", True),
        "name": ("str", True),
        "config": ("model", False),
    },
    "CreateDestinationRequestConfig": {},
    "CreateSessionRequest": {
        "destination_ids": ("list[str]", False),
        "long_polling": ("bool", False),
        "tags": ("list[str]", False),
        "expires_in_hours": ("int", False),
        "expires_at": ("datetime", False),
        "max_images": ("int", False),
        "allowed_mime_types": ("list[enum]", False),
        "max_image_dimension": ("int", False),
        "password": ("str", False),
        "metadata": ("model", False),
    },
    "CreateSessionRequestMetadata": {},
    "CreateSessionResult": {
        "id": ("str", True),
        "uuid": ("str", True),
        "upload_url": ("str", True),
        "qr_url": ("str", False),
        "short_url": ("str", False),
        "qr_specs": ("model", False),
        "destinations": ("list[model]", False),
        "long_polling": ("bool", False),
        "expires_at": ("datetime", False),
        "password_protected": ("bool", False),
        "env": ("enum", False),
    },
    "CreateWebhookRequest": {
        "url": ("str", True),
        "topics": ("list[str]", True),
        "signatureMethod": ("enum", False),
        "maxRetries": ("int", False),
        "retryIntervals": ("list[int]", False),
        "disableAfterFailures": ("int", False),
        "customHeaders": ("model", False),
    },
    "CreateWebhookRequestCustomHeaders": {},
    "DeliveryFile": {
        "record_id": ("str", True),
        "destinations": ("list[model]", True),
        "filename": ("str", False),
        "size_bytes": ("int", False),
        "has_thumbnail": ("bool", False),
    },
    "DeliveryStatus": {
        "status": ("enum", True),
        "files": ("list[model]", True),
        "lastChanged": ("str", True),
    },
    "Destination": {
        "id": ("str", True),
        "type": ("str", True),
        "name": ("str", True),
        "config": ("model", False),
        "isActive": ("bool", False),
        "createdAt": ("datetime", False),
        "updatedAt": ("datetime", False),
    },
    "DestinationConfig": {},
    "DestinationDelivery": {
        "destination_id": ("str", True),
        "status": ("enum", True),
        "type": ("str", False),
        "name": ("str", False),
        "attempts": ("int", False),
        "last_error": ("str|null", False),
    },
    "DestinationsBreakdownItem": {
        "type": ("str", True),
        "count": ("int", True),
    },
    "DestinationTestResult": {
        "success": ("bool", True),
        "status": ("int", False),
        "error": ("str", False),
        "message": ("str", False),
    },
    "EncryptedEnvelope": {
        "encryptedKey": ("str", True),
        "iv": ("str", True),
        "encryptedData": ("str", True),
        "algorithm": ("any", True),
    },
    "Error": {
        "message": ("str", True),
        "code": ("str", False),
    },
    "EventData": {
        "id": ("str", False),
        "filename": ("str", False),
        "size_bytes": ("int", False),
        "mime_type": ("str", False),
        "session_id": ("str", False),
        "download_url": ("str", False),
        "tags": ("list[str]", False),
        "metadata": ("model", False),
        "destination_id": ("str", False),
        "status": ("str", False),
        "error": ("str|null", False),
        "images_count": ("int", False),
    },
    "EventDataMetadata": {},
    "EventEnvelope": {
        "data": ("model", True),
        "id": ("str", False),
        "event": ("str", False),
        "topic": ("str", False),
        "project_id": ("str", False),
        "timestamp": ("datetime", False),
    },
    "EventWebhook": {
        "id": ("str", True),
        "url": ("str", True),
        "topics": ("list[str]", True),
        "projectId": ("str", False),
        "secret": ("str", False),
        "signatureMethod": ("enum", False),
        "isActive": ("bool", False),
        "maxRetries": ("int", False),
        "retryIntervals": ("list[int]", False),
        "disableAfterFailures": ("int", False),
        "consecutiveFailures": ("int", False),
        "customHeaders": ("model", False),
        "disabledAt": ("datetime|null", False),
        "createdAt": ("datetime", False),
        "updatedAt": ("datetime", False),
    },
    "EventWebhookCustomHeaders": {},
    "ImageWebhookPayload": {
        "session_id": ("str", True),
        "image_id": ("str", True),
        "data": ("str", True),
        "image_index": ("int", False),
        "mime_type": ("str", False),
        "filename": ("str", False),
        "size_bytes": ("int", False),
        "tags": ("list[str]", False),
    },
    "KeyDestination": {
        "id": ("str", True),
        "type": ("str", False),
        "name": ("str", False),
        "isActive": ("bool", False),
    },
    "KeyDestinationsResult": {
        "destinations": ("list[model]", True),
        "longPollingEnabled": ("bool", False),
    },
    "MessageResult": {
        "message": ("str", True),
    },
    "PollImage": {
        "id": ("str", True),
        "filename": ("str", False),
        "size_bytes": ("int", False),
        "mime_type": ("str", False),
        "source": ("str", False),
        "created_at": ("datetime", False),
    },
    "PollResult": {
        "images": ("list[model]", True),
    },
    "QrSpecs": {
        "endpoint": ("str", False),
        "formats": ("list[str]", False),
        "params": ("model", False),
    },
    "QrSpecsParams": {},
    "RealtimeImageEvent": {
        "sessionId": ("str", True),
        "imageId": ("str", True),
        "filename": ("str", False),
        "sizeBytes": ("int", False),
        "mimeType": ("str", False),
        "destinationId": ("str", False),
        "status": ("str", False),
        "error": ("str|null", False),
    },
    "ServerKey": {
        "publicKey": ("str", True),
    },
    "Session": {
        "id": ("str", True),
        "status": ("enum", True),
        "expiresAt": ("datetime", False),
        "tags": ("list[str]|null", False),
        "imagesPerSession": ("int|null", False),
        "effectiveMaxImages": ("int", False),
        "effectiveAllowedMimeTypes": ("list[str]", False),
        "effectiveMaxImageDimension": ("int|null", False),
        "password_protected": ("bool", False),
        "serverPublicKey": ("str", False),
        "e2eEnabled": ("bool", False),
        "e2ePublicKey": ("str|null", False),
        "e2eDowngraded": ("bool", False),
    },
    "SessionCompletedEvent": {
        "sessionId": ("str", True),
        "imagesCount": ("int", False),
    },
    "SessionDestinationSummary": {
        "id": ("str", True),
        "type": ("str", True),
        "name": ("str", True),
    },
    "SessionJoinAck": {
        "ok": ("bool", True),
        "error": ("str", False),
    },
    "SessionRow": {
        "id": ("str", True),
        "createdAt": ("datetime", False),
        "expiresAt": ("datetime", False),
        "status": ("enum", False),
        "projectId": ("str", False),
        "projectName": ("str", False),
        "imagesCount": ("int", False),
        "imagesDelivered": ("int", False),
        "imagesFailed": ("int", False),
        "destinationsCount": ("int", False),
        "tags": ("list[str]|null", False),
        "longPollingEnabled": ("bool", False),
        "label": ("str|null", False),
        "env": ("enum", False),
    },
    "SessionsPage": {
        "data": ("list[model]", True),
        "total": ("int", True),
        "page": ("int", True),
        "pageSize": ("int", True),
        "totalPages": ("int", True),
    },
    "SetKeyDestinationsRequest": {
        "destination_ids": ("list[str]", True),
        "long_polling_enabled": ("bool", False),
    },
    "ShareSessionRequest": {
        "channel": ("enum", True),
        "recipient": ("str", True),
        "sms_consent": ("bool", False),
        "note": ("str", False),
    },
    "ShareSessionResult": {
        "ok": ("bool", True),
        "channel": ("str", False),
        "recipient": ("str", False),
        "short_url": ("str", False),
    },
    "Stats": {
        "sessionsInRange": ("int", False),
        "sessionsThisMonth": ("int", False),
        "sessionsTotal": ("int", False),
        "imagesUploaded": ("int", False),
        "imagesDelivered": ("int", False),
        "deliverySuccessRate": ("float", False),
        "totalProjects": ("int", False),
        "activeKeys": ("int", False),
        "topProjects": ("list[model]", False),
    },
    "TopProject": {
        "id": ("str", True),
        "name": ("str", False),
        "sessions": ("int", False),
    },
    "UpdateApiKeyRequest": {
        "label": ("str", False),
        "isActive": ("bool", False),
        "maxImages": ("int|null", False),
        "allowedMimeTypes": ("list[str]", False),
        "maxImageDimension": ("int|null", False),
        "allowedIps": ("list[str]", False),
        "allowedDomains": ("list[str]", False),
    },
    "UpdateDestinationRequest": {
        "name": ("str", False),
        "config": ("model", False),
        "isActive": ("bool", False),
    },
    "UpdateDestinationRequestConfig": {},
    "UpdateSessionRequest": {
        "expires_at": ("datetime", False),
        "max_images": ("int", False),
        "allowed_mime_types": ("list[enum]", False),
        "max_image_dimension": ("int", False),
        "max_image_size_mb": ("int", False),
        "password": ("str|null", False),
    },
    "UpdateWebhookRequest": {
        "url": ("str", False),
        "topics": ("list[str]", False),
        "isActive": ("bool", False),
        "maxRetries": ("int", False),
        "retryIntervals": ("list[int]", False),
        "disableAfterFailures": ("int", False),
        "customHeaders": ("model", False),
    },
    "UpdateWebhookRequestCustomHeaders": {},
    "UploadImageBody": {
        "file": ("any", True),
        "source": ("str", False),
    },
    "UploadResult": {
        "id": ("str", True),
        "filename": ("str", False),
        "size_bytes": ("int", False),
        "destinations": ("int", False),
        "long_polling": ("bool", False),
    },
    "UploadRow": {
        "id": ("str", True),
        "filename": ("str", False),
        "sizeBytes": ("int", False),
        "mimeType": ("str", False),
        "source": ("str", False),
        "isEncrypted": ("bool", False),
        "env": ("enum", False),
        "createdAt": ("datetime", False),
        "sessionId": ("str", False),
        "projectId": ("str", False),
        "projectName": ("str", False),
        "destinationsTotal": ("int", False),
        "destinationsDelivered": ("int", False),
        "destinationsFailed": ("int", False),
        "destinationsBreakdown": ("list[model]", False),
        "status": ("enum", False),
    },
    "UploadsPage": {
        "data": ("list[model]", True),
        "total": ("int", True),
        "page": ("int", True),
        "pageSize": ("int", True),
        "totalPages": ("int", True),
    },
    "VerifyPasswordRequest": {
        "password": ("str", True),
    },
    "VerifyPasswordResult": {
        "valid": ("bool", True),
    },
    "WebhookDeliveriesPage": {
        "deliveries": ("list[model]", True),
        "total": ("int", True),
        "page": ("int", True),
        "limit": ("int", True),
    },
    "WebhookDelivery": {
        "id": ("str", True),
        "status": ("enum", True),
        "eventLogId": ("str", False),
        "topic": ("str", False),
        "attempts": ("int", False),
        "responseCode": ("int|null", False),
        "responseBody": ("str|null", False),
        "durationMs": ("int", False),
        "lastError": ("str|null", False),
        "nextRetryAt": ("datetime|null", False),
        "createdAt": ("datetime", False),
        "updatedAt": ("datetime", False),
    },
}
""" Each model's fields as on the wire: (kind, required). A kind is str, int, float, bool,
datetime, date, enum, model, list[<kind>] or any, with "|null" when null is allowed. The generated
``from_dict`` does not check types; code that parses untrusted payloads checks them against this. """

__all__ = (
    "WIRE_FIELDS",
    "AckRequest",
    "AckResult",
    "ApiKey",
    "ConnectedEvent",
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
    "RealtimeEventName",
    "RealtimeImageEvent",
    "ServerKey",
    "Session",
    "SessionCompletedEvent",
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
