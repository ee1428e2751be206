"""The ``station`` command: the group ``main`` and its commands, one module per area.

Every subcommand goes through the same services as the GUI. The shared helpers (--db, opening the
database, the role check, JSON out) are in ``common``. Each area module defines its commands without
knowing ``main`` and lists them in ``COMMANDS``; they are added to ``main`` here, so an area module
imports ``common`` and no other module of the CLI (a contract in pyproject.toml).
"""
from __future__ import annotations

import sys

import click

from station.cli import admin, counts, imports, inbound, orders, print as print_, returns, stock, waybills
from station.cli.common import REFUSED_EXIT, db_option
from station.i18n import set_language

__all__ = ["REFUSED_EXIT", "main"]


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.option("--lang", type=click.Choice(["en", "zh_CN"]), default=None, help="Language (default: system).")
@click.option("--scanner", "scanner", metavar="keyboard|serial:PATH[:BAUD]|evdev:PATH", default=None,
              help="The GUI's scanner for this run (default: the settings). The keyboard scanner always works too.")
@click.option("--camera", "camera", metavar="none|v4l2:DEVICE|dshow:NAME|file:PATH", default=None,
              help="The pack bench's camera for this run (default: the settings); file: plays a video in a loop.")
@click.pass_context
def main(ctx: click.Context, db_url: str | None, lang: str | None, scanner: str | None, camera: str | None) -> None:
    """Station: warehouse and shipping bench. Without a command, opens the GUI."""
    from station.documents.registry import install

    set_language(lang)
    install()  # the document families' renderers into the outbox (the outbox imports no family)
    ctx.ensure_object(dict)
    ctx.obj["db_url"] = db_url
    spec = None
    if scanner is not None:  # checked here, after --lang, so the error speaks the chosen language
        from station.ui.scanners.spec import ScannerSpecError, parse_scanner_spec

        try:
            spec = parse_scanner_spec(scanner)
        except ScannerSpecError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param_hint="--scanner") from None
    if camera is not None:
        from station.video.sources import CameraSpecError, parse_camera_spec

        try:
            camera = str(parse_camera_spec(camera))
        except CameraSpecError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param_hint="--camera") from None
    if ctx.invoked_subcommand is None:
        from station.ui.app import run

        sys.exit(run(db_url, lang, scanner=spec, camera=camera))


for area in (admin, imports, orders, waybills, returns, inbound, print_, stock, counts):
    for command in area.COMMANDS:
        main.add_command(command)
