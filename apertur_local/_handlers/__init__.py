"""HTTP layer of the local server: one module per resource (parse -> state -> response)."""
