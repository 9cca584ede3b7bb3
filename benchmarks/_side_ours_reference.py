"""The reference commit's ``apertur_ext`` (see ``_reference``), driven like ``ours``.

Its paths go first on ``sys.path`` before ``_side_ours`` imports ``apertur_ext``, so the same
side code times the older client; the worker imports nothing of the SDK before this module."""

from __future__ import annotations

import sys

from ._reference import reference_commit, reference_paths

sys.path[:0] = reference_paths(reference_commit())

from ._side_ours import PACKAGE, Side  # noqa: E402 (after the path change, on purpose)

__all__ = ["PACKAGE", "Side"]
