"""``client.uploads``: the generated methods (history, downloads), plus ``list_all``."""

from __future__ import annotations

from apertur_api.api import uploads as generated
from apertur_api.models import UploadRow

from .pagination import AsyncListAll, ListAll

__all__ = ["AsyncUploads", "Uploads"]


class Uploads(ListAll[UploadRow], generated.Uploads):
    """Upload history (``client.uploads``)."""


class AsyncUploads(AsyncListAll[UploadRow], generated.AsyncUploads):
    """Upload history (``client.uploads``), async."""
