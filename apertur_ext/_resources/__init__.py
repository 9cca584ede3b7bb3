"""Hand-written namespace methods: what the generated namespaces cannot express.

Each class subclasses its generated namespace (``apertur_api.api.<tag>``), which already has a
method per operation, and adds only what needs a hand: waiting for deliveries, streamed and
encrypted uploads, ``poll_and_process``, real-time events.
"""
