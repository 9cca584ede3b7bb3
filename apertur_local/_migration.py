"""One-time migration of a data directory written by an older apertur-local (``state.json``).

Older versions kept the whole state in ``state.json``. At the first start on such a directory
:func:`migrate_state_json` checks every record, writes them all into a new state database (built
aside and renamed into place, see ``_database``), and renames the file ``state.json.migrated``
(kept as a backup, never read again). A file that cannot be read completely is not migrated: the
server refuses to start and says so, rather than start empty and lose it.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from ._database import Database, StateStoreError
from ._models import from_json_dict
from ._store_base import RECORD_TYPES, encode_record

__all__ = ["MIGRATED_SUFFIX", "migrate_state_json"]

_log = logging.getLogger("apertur_local.state")

MIGRATED_SUFFIX = ".migrated"
"""Appended to ``state.json`` once its records are in the database."""


def migrate_state_json(legacy: Path, database: Path) -> int:
    """Move the records of ``legacy`` into a new database at ``database``; return their count.

    Raises :class:`StateStoreError` (and changes nothing) when ``legacy`` is unreadable,
    truncated, or holds a record that does not decode.
    """
    refuse = (
        f"{legacy} (the state of an older apertur-local) cannot be migrated: {{}}. Nothing was "
        f"changed; restore the file, or move it away to start with an empty state"
    )
    try:
        data: Any = json.loads(legacy.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise StateStoreError(refuse.format(f"it is unreadable ({exc})")) from exc
    if not isinstance(data, dict):
        raise StateStoreError(refuse.format("it is not a JSON object"))
    rows: dict[str, list[tuple[str, str]]] = {}
    count = 0
    for table, cls in RECORD_TYPES.items():
        items = data.get(table) or []
        if not isinstance(items, list):
            raise StateStoreError(refuse.format(f"its {table!r} entry is not a list"))
        seen: dict[str, str] = {}
        for position, item in enumerate(items):
            try:
                if not isinstance(item, dict):
                    raise TypeError("not an object")
                record = from_json_dict(cls, item)
                seen[record.id] = encode_record(record)
            except (TypeError, ValueError, AttributeError) as exc:
                raise StateStoreError(
                    refuse.format(f"{table} entry {position} is not a valid record ({exc})")
                ) from exc
        rows[table] = list(seen.items())
        count += len(seen)
    Database.create(database, rows)
    os.replace(legacy, legacy.with_name(legacy.name + MIGRATED_SUFFIX))
    _log.warning(
        "migrated %d record(s) from %s into %s; the old file is kept as %s%s",
        count,
        legacy,
        database,
        legacy.name,
        MIGRATED_SUFFIX,
    )
    return count
