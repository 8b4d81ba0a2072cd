"""Compile every .po catalogue to .mo with Babel, so no GNU gettext install is needed.

`python -m collectif.core.i18n` is what `make demo` and `make test` run.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def catalogues() -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob("**/locale/*/LC_MESSAGES/*.po")
        if ".venv" not in path.parts and "site-packages" not in path.parts
    )


def compile_all() -> int:
    for po_path in catalogues():
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, abort_invalid=True)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalogue, use_fuzzy=False)
    return len(catalogues())


if __name__ == "__main__":
    print(f"Compiled {compile_all()} translation catalogues.")
