"""What every command of ``station`` shares: the --db option, opening the database, the role check, JSON out.

The commands import the services they call inside their bodies: importing ``station.db`` alone pulls in
SQLAlchemy (about half a second), and ``station --help`` must not wait for it.
"""
from __future__ import annotations

import json
import os
import socket
import sys
from datetime import datetime

import click

from station.i18n import _

DB_HELP = "Database URL (default: $STATION_DB, else the SQLite file in the user data folder)."


def station_name() -> str:
    return os.environ.get("STATION_NAME") or socket.gethostname()


def db_option(f):
    return click.option("--db", "db_url", metavar="URL", help=DB_HELP, default=None)(f)


def _url(ctx: click.Context, db_url: str | None) -> str | None:
    return db_url or (ctx.obj or {}).get("db_url")


def _open(url: str | None):
    from station.db import DatabaseError, open_database

    try:
        return open_database(url)
    except DatabaseError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


def _dt_local(text: str | None):
    """A date or date-time typed by a person, in this computer's zone."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(_("{value} is not a date like 2026-11-11 or 2026-11-11T08:00", value=text))
    return value if value.tzinfo else value.astimezone()


def _print_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


REFUSED_EXIT = 3  # the user is unknown or lacks the role (docs/roles.md)


def _permit(sessions, action: str, user: str | None, target: str | None = None) -> str:
    """The role check shared with the office windows; a refusal is recorded, then we exit."""
    from station.catalog.roles import NotPermitted, authorize

    try:
        return authorize(sessions, action, user, target=target, station=station_name())
    except NotPermitted as exc:
        click.echo(exc.message, err=True)
        sys.exit(REFUSED_EXIT)
