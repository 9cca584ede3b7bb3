"""The request path: configuration, auth, transport and retries, signing, logging, the request and
response mapping, the exceptions, and ``client.api``.

Depends on the generated package only; every other package of apertur_ext builds on it.
"""
