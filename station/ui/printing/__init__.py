"""Printing in the GUI: the Qt printer dispatcher, the outbox dialog, the PDF preview, printers per document.

The print jobs themselves (queue, retry, reprint, settings) live in `station.outbox`;
these widgets only call its functions.
"""
