"""The ``apertur`` command: sessions, uploads, the pull queue, delivery status, webhooks, local server.

Run ``apertur --help``. Every command accepts the global ``--json`` flag for machine-readable
output; every error is one line on stderr and a non-zero exit code. ``python -m apertur_cli.demo``
(``make demo``) runs the whole product against a local server.
"""
