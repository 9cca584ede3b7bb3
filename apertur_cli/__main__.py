"""``python -m apertur_cli``: the ``apertur`` command (as the console script runs it)."""

from __future__ import annotations

from ._launch import apertur as main

__all__ = ["main"]

if __name__ == "__main__":
    main()
