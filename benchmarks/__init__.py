"""Benchmarks: this SDK vs the official ``apertur-sdk`` 0.2.0 vs raw httpx (issue 6).

``python -m benchmarks.run`` (``make bench``) starts ``apertur_local`` on loopback, runs every
workload once per client per repeat, each in its own interpreter, and writes ``RESULTS.md`` and
``ratios.png``. ``BENCH_QUICK=1`` scales every size down for a smoke run.
"""
