"""Entry point of the ``apertur`` console script and ``python -m apertur_cli``."""

from __future__ import annotations

from ._root import cli

__all__ = ["main"]


def main() -> None:
    """Run the ``apertur`` command line (exits the process)."""
    cli.main(prog_name="apertur")


if __name__ == "__main__":
    main()
