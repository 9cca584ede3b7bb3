"""``client.uploads``: the generated methods (history, downloads), plus ``list_all``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from apertur_api.api import uploads as generated
from apertur_api.models import UploadRow

from .._core.config import TimeoutArg
from .pagination import DEFAULT_MAX_PAGES, aevery_row, every_row

__all__ = ["AsyncUploads", "Uploads"]


class Uploads(generated.Uploads):
    """Upload history (``client.uploads``)."""

    def list_all(
        self,
        *,
        page_size: int | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> Iterator[UploadRow]:
        """Every upload, fetching one page at a time as the iterator advances."""
        return every_row(self.list, page_size, max_pages, timeout, max_retries)


class AsyncUploads(generated.AsyncUploads):
    """Upload history (``client.uploads``), async."""

    def list_all(
        self,
        *,
        page_size: int | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> AsyncIterator[UploadRow]:
        """Every upload (``async for``), fetching one page at a time."""
        return aevery_row(self.list, page_size, max_pages, timeout, max_retries)
