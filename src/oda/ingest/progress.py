"""Progress bars for long steps, or silence (``--quiet``, tests, notebooks)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

Advance = Callable[[int], None]


class Reporter:
    """Bars on stderr, tables and lines on stdout; ``Reporter(quiet=True)`` shows nothing."""

    def __init__(self, *, quiet: bool = False, console: Console | None = None, out: Console | None = None):
        self.quiet = quiet
        self.console = console or Console(stderr=True)
        self.out = out or Console(soft_wrap=True)

    @contextmanager
    def task(self, description: str, total: int | None = None, *, unit: str = "rows") -> Iterator[Advance]:
        """A bar for ``description``; advance it with the callable yielded (bytes or rows)."""
        if self.quiet or not self.console.is_terminal:
            # Bars redrawn into a log file or a pipe are noise; show them only to a person.
            yield lambda n: None
            return
        amount = DownloadColumn() if unit == "bytes" else MofNCompleteColumn()
        with Progress(TextColumn("{task.description}"), BarColumn(), amount, TimeElapsedColumn(),
                      console=self.console, transient=True) as progress:
            task = progress.add_task(description, total=total)
            yield lambda n: progress.advance(task, n)

    def say(self, message: str) -> None:
        """A line of output (stdout), unless quiet."""
        if not self.quiet:
            self.out.print(message, highlight=False, markup=False)

    def show(self, renderable: object) -> None:
        """A table or other rich renderable (stdout), unless quiet."""
        if not self.quiet:
            self.out.print(renderable)
