"""Import commands: start a file import, and the `catalog.import` job kind that runs it."""
