"""The `oda` command: one verb per stage.

Each verb lives in its own module beside this one and registers itself with :func:`register`.
Errors a user can fix print as one clear message and exit non-zero; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.text import Text

from oda import __version__
from oda.errors import OdaError

app = typer.Typer(
    name="oda",
    help="oda: link public bodies' records to properties, people and businesses; score, act, evaluate.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)
_state = {"debug": False}


@app.callback()
def _global(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    _state["debug"] = debug
    if version:
        typer.echo(f"oda {__version__}")
        raise typer.Exit(0)


def _register_commands() -> None:
    """Each group of verbs registers itself, in the order `oda --help` lists them (the data flow)."""
    from oda.cli import (demo_commands, ingest_commands, link_commands, project_commands, resolve_commands,
                         score_commands, serve_commands, store_commands, synth_commands)

    for module in (project_commands, synth_commands, ingest_commands, link_commands, resolve_commands,
                   score_commands, serve_commands, store_commands, demo_commands):
        module.register(app)


_register_commands()


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning oda's errors into a message and an exit code."""
    try:
        code = app(args=argv, standalone_mode=False)
    except OdaError as exc:
        if _state["debug"]:
            raise
        err.print(Text("error: ", style="bold red") + Text(str(exc)), highlight=False, soft_wrap=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("aborted")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a user-facing CLI
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            return exc.exit_code
        if _state["debug"]:
            raise
        err.print(Text("internal error: ", style="bold red")
                  + Text(f"{type(exc).__name__}: {exc}\nThis is a bug in oda. Re-run with --debug for "
                         "the traceback and report it."), highlight=False, soft_wrap=True)
        return 70
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
