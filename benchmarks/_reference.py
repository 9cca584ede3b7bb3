"""The reference client: this SDK as of the commit the loopback reference run was taken from.

``make bench`` runs it as the side ``ours_reference`` beside ``ours`` in every loopback
workload, so that ours is judged against its own earlier self in the same run (same server, same
load) rather than against figures of another day. Its ``apertur_ext`` and ``generated/`` are
exported with ``git archive`` into ``benchmarks/.work/reference-<commit>/`` once per commit and
put first on ``sys.path`` by the side (stdlib only here)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from ._plan import ROOT, WORK

__all__ = ["REFERENCE", "SIDE", "export_reference", "reference_commit", "reference_paths"]

REFERENCE = Path(__file__).with_name("reference_loopback.json")
"""Ours' and its comparator's loopback medians in the reference run, and that run's commit."""
SIDE = "ours_reference"
_EXPORTED = ("apertur_ext", "generated")


def reference_commit() -> str:
    """The commit whose client the reference run measured (``client_commit``)."""
    commit: str = json.loads(REFERENCE.read_text(encoding="utf-8"))["client_commit"]
    return commit


def reference_paths(commit: str) -> list[str]:
    """What goes first on ``sys.path`` to import the reference's ``apertur_ext``."""
    tree = WORK / f"reference-{commit}"
    return [str(tree), str(tree / "generated")]


def export_reference() -> str | None:
    """Export the reference commit's client once (cached by commit); returns why not, if not."""
    commit = reference_commit()
    tree = Path(reference_paths(commit)[0])
    if tree.is_dir():
        return None
    WORK.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="reference-", dir=WORK))
    try:
        archive = subprocess.run(
            ["git", "archive", commit, *_EXPORTED], cwd=ROOT, capture_output=True, check=False
        )
        if archive.returncode != 0:
            return f"git archive {commit} failed: {archive.stderr.decode(errors='replace')[:200]}"
        subprocess.run(["tar", "-x", "-C", str(scratch)], input=archive.stdout, check=True)
        scratch.rename(tree)  # complete or absent: a failed export is tried again next time
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return None
