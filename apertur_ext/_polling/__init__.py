"""Loops that follow the server's state: ``poll_and_process`` (sync and async engines, and their
shared state) and ``wait_for_delivery``."""
