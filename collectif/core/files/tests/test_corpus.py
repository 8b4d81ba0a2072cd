"""The hostile-file corpus through the reader: a clear refusal in both languages, or the
exact cells, and never anything but a FileProblem."""

import io

import pytest
from django.utils import translation

from collectif.core.files import FileProblem, read_table
from collectif.core.files.tests.corpus import Case, Read, cases, recognise

CASES = cases()
# Fragments of Python's own error texts, which a person must never be shown.
PYTHON_TEXT = (
    "Error",
    "error:",
    "Traceback",
    "codec",
    "field larger",
    "expected after",
    "end of data",
    "line contains",
    "File is not",
    "Bad CRC",
    "Errno",
    "None",
)


def test_the_corpus_is_large_and_varied():
    assert len(CASES) >= 100
    refused = {case.expected for case in CASES if isinstance(case.expected, str)}
    assert len(refused) >= 20
    assert sum(isinstance(case.expected, Read) for case in CASES) >= 40


def read_case(case: Case) -> Read:
    table = read_table(
        io.BytesIO(case.content),
        filename=case.filename,
        sheet=case.sheet,
        recognise_header=recognise,
    )
    return Read(table.headers, list(table.rows))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_file_is_read_exactly_or_refused_in_both_languages(case: Case):
    if isinstance(case.expected, Read):
        assert read_case(case) == case.expected
        return
    with pytest.raises(FileProblem) as caught:
        read_case(case)
    problem = caught.value
    assert problem.code == case.expected
    with translation.override("en"):
        english = str(problem.message)
    with translation.override("fr"):
        french = str(problem.message)
    assert english != french
    for message in (english, french):
        assert len(message) > 40
        assert not any(fragment in message for fragment in PYTHON_TEXT), message
