"""Spreadsheet safety for every file Collectif writes: exports, templates, reports.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
return before one) as a formula, so text written by one person could run on another's
computer (CSV injection). Text cells get a leading apostrophe, which spreadsheets show
as plain text; numbers stay numbers, so a negative value is never touched.
"""

from decimal import Decimal
from typing import TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CellT = TypeVar("CellT", str, int, float, Decimal, None)


def neutralise(cell: CellT) -> CellT:
    """The cell as a spreadsheet should show it: text that could run is made inert."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell
