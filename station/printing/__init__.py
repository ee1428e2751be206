"""Printing: every Station document as a PDF made with reportlab.

Nothing here imports Qt or the database, and nothing happens at import time: the
CJK font is registered on first use (`fonts.register_fonts`). A document module takes
a plain data object and returns PDF bytes; sending those bytes to a printer or a file
is someone else's job.
"""
