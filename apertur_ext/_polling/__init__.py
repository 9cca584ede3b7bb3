"""Loops that follow the server's state: ``poll_and_process`` (one engine for both clients, and
the decisions it carries out) and ``wait_for_delivery``."""
