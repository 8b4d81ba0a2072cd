"""The columns of a measurement template, as a person may have typed them.

Header text is compared after `normalise_header`: case, accents, apostrophes and
spacing do not matter, and either language is understood.
"""

from collections.abc import Iterable

from collectif.core.files import header_role

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator_code": (
        "indicator code",
        "code",
        "indicator id",
        "code de l indicateur",
        "code indicateur",
        "code d indicateur",
    ),
    "indicator_name": (
        "indicator name",
        "indicator",
        "name",
        "nom de l indicateur",
        "nom indicateur",
        "indicateur",
        "nom",
    ),
    "unit": ("unit", "unite", "unite de mesure", "unit of measure"),
    "value": ("value", "valeur", "amount", "montant"),
}


def column_role(text: str) -> str | None:
    """Which template column a header names, if any."""
    return header_role(text, COLUMN_ALIASES)


def has_recognisable_header(headers: Iterable[str]) -> bool:
    """Whether a row is a template's header: a value column and an indicator column.

    The file reader uses it to find the data sheet of a workbook with several sheets.
    """
    roles = {column_role(header) for header in headers}
    return "value" in roles and bool(roles & {"indicator_code", "indicator_name"})
