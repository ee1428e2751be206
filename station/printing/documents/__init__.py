"""One module per printed document; each takes a plain data object and returns PDF bytes."""
