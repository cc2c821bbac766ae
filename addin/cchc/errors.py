"""Errors an officer can read.

Every error that reaches the command line or a message box is a CchcError: a Vietnamese
message naming the file (and sheet, cell where known) and what was expected. The exit code
says what kind of failure it is.
"""

from __future__ import annotations

# Exit codes shared by every command.
EXIT_OK = 0
EXIT_FINDINGS = 1  # the job ran, but found errors (check, report) or excluded files (merge)
EXIT_UNREADABLE = 2  # bad input: nothing useful could be done


class CchcError(Exception):
    """A failure explained in Vietnamese for an officer."""

    exit_code = EXIT_UNREADABLE

    def __init__(self, message: str, *, exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class WorkbookError(CchcError):
    """A workbook that cannot be opened or is not a cchc workbook."""
