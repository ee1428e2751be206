"""Every document Station prints, from the database to a draw call.

`registry` declares each document once (its name, what its IDs are, the paper sizes it has a
layout for, the family that builds it) and reads nothing; the outbox, the printer settings and
``station print`` take their names and sizes from it. One module per family (`orders`,
`inbound`, `counts`, `returns`) reads what a document needs from the database and hands plain
data to a layout in ``station.printing.documents``, which never sees a session.
"""
