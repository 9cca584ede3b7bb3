"""Upload bodies: sources (paths, bytes, files, iterators), MIME detection, the streamed
multipart body and the streamed encryption envelope."""
