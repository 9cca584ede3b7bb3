"""Real-time upload events over Socket.IO, as callbacks and as an iterator (sync and async)."""
