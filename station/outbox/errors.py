"""The one error of printing a job: the printer is missing, off, refused it, or cannot be asked."""
from __future__ import annotations


class PrinterError(RuntimeError):
    pass
