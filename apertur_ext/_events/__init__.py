"""Real-time events of a session, over Server-Sent Events or Socket.IO (sync and async)."""
