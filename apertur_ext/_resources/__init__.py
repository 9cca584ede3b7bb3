"""One module per API namespace (``Foo`` and ``AsyncFoo`` side by side), imported lazily."""
