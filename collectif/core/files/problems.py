"""Why a file cannot be read, said to the person in their language, with what to do."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from collectif.core.formatting import format_number

MEGABYTE = 1024 * 1024

SAVE_AS = _("Save it as “CSV UTF-8” or as an Excel workbook (.xlsx) and upload it again.")


def _lazy_format(text: Promise, params: dict[str, Any]) -> str:
    return str(text) % {key: value() if callable(value) else value for key, value in params.items()}


_lazy_message = lazy(_lazy_format, str)


class FileProblem(Exception):  # noqa: N818 (the name every importer uses)
    """The file as a whole cannot be read; `.message` says why and what to do.

    The message is lazy: built in the language active when it is shown, so a problem
    raised in a background job reads well on the page that reports it.
    """

    def __init__(self, message: Promise | str, *, code: str) -> None:
        self.message = message
        self.code = code
        super().__init__(code)

    def __str__(self) -> str:
        return str(self.message)


def file_problem(code: str, text: Promise, **params: Any) -> FileProblem:
    """A `FileProblem` whose `params` (values, or callables for lazily formatted ones) fill
    the translated `text` when it is shown."""
    return FileProblem(_lazy_message(text, params) if params else text, code=code)


def count(number: int) -> Callable[[], str]:
    """A whole number, formatted in the language active when the message is shown."""
    return lambda: format_number(number, decimals=0)


def megabytes(size: int) -> Callable[[], str]:
    """A size in MB, formatted in the language active when the message is shown."""
    return lambda: format_number(Decimal(size) / MEGABYTE, decimals=1)


def not_a_workbook() -> FileProblem:
    return file_problem(
        "not_xlsx",
        _("This file is not a valid Excel workbook. %(what_to_do)s"),
        what_to_do=SAVE_AS,
    )


def unknown_encoding() -> FileProblem:
    return file_problem(
        "unknown_encoding",
        _("The file's characters are in an encoding Collectif cannot read. %(what_to_do)s"),
        what_to_do=SAVE_AS,
    )


def nul_bytes() -> FileProblem:
    return file_problem(
        "nul_bytes",
        _(
            "The file holds NUL characters (invisible empty bytes), which no spreadsheet "
            "writes in a CSV file: it may be damaged, or not be a CSV file. Open it in "
            "Excel or LibreOffice and check the data. %(what_to_do)s"
        ),
        what_to_do=SAVE_AS,
    )
