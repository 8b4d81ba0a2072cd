"""Reading partner files as partners really save them: the reader every importer shares.

A new importer calls `read_table(upload, filename=name, recognise_header=its_check)` and
walks `table.headers` and `table.rows` (row number, cells as text), naming its columns
with `header_role` and reading numbers with `parse_number(text, decimal_comma=
table.decimal_comma)`. It catches `FileProblem` (a `.code`, and a `.message` in the
person's language saying what to do), raised on opening or while the rows are read.
"""

from collectif.core.files.headers import header_role, normalise_header
from collectif.core.files.numbers import parse_number, parse_numbers
from collectif.core.files.problems import MEGABYTE, FileProblem
from collectif.core.files.reader import read_table, upload_limit
from collectif.core.files.table import HeaderRecogniser, Progress, Row, RowProgress, Table

__all__ = [
    "MEGABYTE",
    "FileProblem",
    "HeaderRecogniser",
    "Progress",
    "Row",
    "RowProgress",
    "Table",
    "header_role",
    "normalise_header",
    "parse_number",
    "parse_numbers",
    "read_table",
    "upload_limit",
]
