"""A 100,000-row French partner file (CSV, then the same rows as XLSX) imported, against
PostgreSQL COPY of the same rows: into a scratch table of text columns (the issue's
baseline), and into the values table itself (what storing the rows costs the database,
with its indexes, generated columns and foreign keys, whatever Python does)."""

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.common import (
    IMPORT_INDICATORS,
    IMPORT_SITES,
    LATEST_PERIOD,
    ROOT,
    Stopwatch,
    figure,
    megabytes,
    ms,
    raw_connection,
    say,
    setup_django,
    verdict,
)

# ---- Import ---------------------------------------------------------------------------


def import_dataset() -> tuple[Any, list[Any]]:
    """A synthetic dataset big enough for a 100,000-row file.

    400 indicators, each broken down by a "site" dimension of 250 members that add up to
    the total: 400 × (1 total + 250 sites) = 100,400 expected cells. Every fourth
    indicator is in dollars (two decimals, so the file carries decimal commas). The
    indicators are internal (unpublished) and the dataset is assigned to three partners.
    """
    from collectif.ecosystem.models import Organisation
    from collectif.measurement.models import (
        Dataset,
        DatasetIndicator,
        Dimension,
        DimensionMember,
        Indicator,
    )

    site = Dimension.objects.create(code="site", name_en="Site", name_fr="Site", adds_up=True)
    DimensionMember.objects.bulk_create(
        DimensionMember(
            dimension=site,
            code=f"s{n:03d}",
            name_en=f"Site {n}",
            name_fr=f"Site {n}",
            position=n,
        )
        for n in range(1, IMPORT_SITES + 1)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"bench_{n:03d}",
            name_en=f"Bench measure {n}",
            name_fr=f"Mesure d'essai n° {n}",
            kind=Indicator.Kind.PERFORMANCE,
            unit=Indicator.Unit.DOLLARS if n % 4 == 0 else Indicator.Unit.COUNT,
            decimals=2 if n % 4 == 0 else 0,
            is_published=False,
            position=1000 + n,
        )
        for n in range(1, IMPORT_INDICATORS + 1)
    )
    for indicator in indicators:
        indicator.dimensions.add(site)
    dataset = Dataset.objects.create(
        code="bench_sites", name_en="Bench: sites", name_fr="Essai : sites"
    )
    DatasetIndicator.objects.bulk_create(
        DatasetIndicator(dataset=dataset, indicator=indicator, position=n)
        for n, indicator in enumerate(indicators)
    )
    partners = list(Organisation.objects.filter(slug__startswith="bench-org-").order_by("pk")[:3])
    dataset.organisations.set(partners)
    return dataset, partners


def french_number(value: Decimal, decimals: int) -> str:
    """As French Excel saves it: no-break space between thousands, decimal comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def write_partner_csv(dataset: Any, path: Path, indicators: int) -> int:
    """Fill the French template as a partner would and save it as French Excel does.

    `;` separator, Windows-1252 encoding (Excel's "CSV (séparateur: point-virgule)"),
    decimal commas and no-break-space thousands. Site values add up to each total.
    """
    from collectif.measurement.files.templates import template_rows

    headers, rows = template_rows(dataset, language="fr")
    per_indicator = 1 + IMPORT_SITES
    rows = rows[: indicators * per_indicator]
    rng = random.Random(indicators)
    with path.open("w", encoding="cp1252", newline="") as stream:
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        for start in range(0, len(rows), per_indicator):
            block = rows[start : start + per_indicator]
            dollars = int(block[0][0].rsplit("_", 1)[1]) % 4 == 0
            decimals = 2 if dollars else 0
            parts = [
                Decimal(rng.randint(0, 900_000)) / 100 if dollars else Decimal(rng.randint(0, 400))
                for _ in range(IMPORT_SITES)
            ]
            block[0][-1] = french_number(sum(parts, Decimal(0)), decimals)
            for row, part in zip(block[1:], parts, strict=True):
                row[-1] = french_number(part, decimals)
            writer.writerows(block)
    return len(rows)


def write_partner_xlsx(source: Path, path: Path) -> None:
    """The same rows as a workbook, numbers stored as numbers, as Excel saves them."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Valeurs")
    with source.open(encoding="cp1252", newline="") as stream:
        rows = csv.reader(stream, delimiter=";")
        sheet.append(next(rows))
        for row in rows:
            text = row[-1].replace("\u00a0", "").replace(",", ".")
            cells: list[Any] = row[:-1]
            sheet.append([*cells, float(text) if "." in text else int(text)])
    book.save(path)


def run_import(slug: str, path: Path, period: str = LATEST_PERIOD) -> Any:
    from collectif.core.actors import SYSTEM
    from collectif.ecosystem.models import Organisation
    from collectif.measurement.models import Dataset, Period
    from collectif.measurement.services import files as imports

    with path.open("rb") as data:
        return imports.submission_import(
            actor=SYSTEM,
            organisation=Organisation.objects.get(slug=slug),
            dataset=Dataset.objects.get(code="bench_sites"),
            period=Period.objects.get(code=period),
            data=data,
            filename=path.name,
        )


def earlier_period(quarters_back: int) -> str:
    """A quarter before the latest: the XLSX and the warm-up imports each get their own,
    so that no import meets saved values (and stops to ask before replacing them)."""
    from collectif.measurement.models import Period

    earlier = Period.objects.filter(kind="quarter", code__lt=LATEST_PERIOD).order_by("-start")
    return str(earlier[quarters_back - 1].code)


def proc_status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def copy_into_values(submission_id: int) -> float:
    """COPY of an imported file's rows back into the values table, committed: the part of
    an import no Python can save (index entries, generated columns, foreign-key checks)."""
    conn = raw_connection()
    table = "measurement_value"
    columns = "submission_id, indicator_id, organisation_id, period_id, breakdown, value"
    with conn.cursor() as cur:
        with cur.copy(
            f"COPY (SELECT {columns} FROM {table} WHERE submission_id = {submission_id}) TO STDOUT"
        ) as copy:
            rows = b"".join(bytes(chunk) for chunk in copy)
        conn.autocommit = False
        cur.execute(f"DELETE FROM {table} WHERE submission_id = %s", [submission_id])
        conn.commit()
        start = time.perf_counter()
        with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            copy.write(rows)
        conn.commit()
        seconds = time.perf_counter() - start
    conn.close()
    return seconds


def child_import(slug: str, path: str, warmup: str) -> None:
    """In a fresh process: a tiny import to load code and catalogues, then the real one."""
    setup_django(os.environ["DATABASE_URL"])
    run_import(slug, Path(warmup), earlier_period(2))
    before = proc_status("VmRSS")
    start = time.perf_counter()
    result = run_import(slug, Path(path))
    print(
        json.dumps(
            {
                "rows": result.rows,
                "seconds": time.perf_counter() - start,
                "rss_before_kb": before,
                "peak_kb": proc_status("VmHWM"),
            }
        )
    )


def run_child(args: list[str]) -> tuple[str, int, float]:
    """Run a command; return its output, its own peak RSS (kB, from wait4) and wall time."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            args, stdout=out, stderr=err, cwd=ROOT, env=os.environ.copy()
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise RuntimeError(f"{args[1:4]} failed: {err.read().decode()[-3000:]}")
        return out.read().decode(), usage.ru_maxrss, seconds


def copy_same_file(path: Path, columns: int) -> float:
    """PostgreSQL COPY of the same file into a scratch table of text columns."""
    conn = raw_connection()
    names = ", ".join(f"c{n} text" for n in range(columns))
    conn.execute(f"CREATE UNLOGGED TABLE bench_scratch ({names})")
    start = time.perf_counter()
    with (
        conn.cursor() as cur,
        cur.copy(
            "COPY bench_scratch FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true, "
            "ENCODING 'WIN1252')"
        ) as copy,
    ):
        copy.write(path.read_bytes())
    seconds = time.perf_counter() - start
    conn.execute("DROP TABLE bench_scratch")
    conn.close()
    return seconds


def compare_with_copy(label: str, seconds: float, copy_seconds: float, floor: float) -> None:
    figure(
        f"{label}: import time vs COPY of the same rows",
        ms(seconds),
        baseline=f"COPY {ms(copy_seconds)}",
        ratio=f"{seconds / copy_seconds:,.1f}× COPY",
        target=verdict(seconds / copy_seconds <= 5, "aim ≤ 5×"),
        note=f"COPY into the values table {ms(floor)}: {seconds / floor:,.1f}× that",
    )


def memory_growth(slugs: list[str], paths: list[Path], tiny: Path) -> None:
    """Peak memory of the import in a fresh process, for the half file and the whole."""
    growth = {}
    for slug, path in zip(slugs, paths, strict=True):
        output, _peak, _seconds = run_child(
            [
                sys.executable,
                str(Path(__file__).with_name("measurement.py")),
                "--child-import",
                slug,
                str(path),
                str(tiny),
            ]
        )
        data = json.loads(output.strip().splitlines()[-1])
        growth[data["rows"]] = data["peak_kb"] - data["rss_before_kb"]
        figure(
            f"import {data['rows']:,} rows: peak RSS growth",
            megabytes(data["peak_kb"] - data["rss_before_kb"]),
            note=f"RSS {megabytes(data['rss_before_kb'])} before, "
            f"peak {megabytes(data['peak_kb'])}",
        )
    small, large = growth[min(growth)], growth[max(growth)]
    figure(
        "import memory, 100k rows vs 50k rows",
        f"{large / max(small, 1):.2f}×",
        baseline=f"{megabytes(small)} → {megabytes(large)}",
        target=verdict(large <= small * 1.2 + 10_240, "flat (≤ 1.2× + 10 MB)"),
    )


def import_benchmarks(workdir: Path) -> None:
    dataset, partners = import_dataset()
    big, half, tiny = workdir / "sites-100k.csv", workdir / "sites-50k.csv", workdir / "tiny.csv"
    rows = write_partner_csv(dataset, big, IMPORT_INDICATORS)
    half_rows = write_partner_csv(dataset, half, IMPORT_INDICATORS // 2)
    write_partner_csv(dataset, tiny, 1)
    workbook = workdir / "sites-100k.xlsx"
    write_partner_xlsx(big, workbook)
    say(
        f"  files: {rows:,} rows ({big.stat().st_size / 1e6:.1f} MB CSV, "
        f"{workbook.stat().st_size / 1e6:.1f} MB XLSX), {half_rows:,} rows"
    )
    run_import(partners[0].slug, tiny, earlier_period(2))
    with Stopwatch() as sw:
        result = run_import(partners[0].slug, big)
    with Stopwatch() as sw_xlsx:
        result_xlsx = run_import(partners[0].slug, workbook, earlier_period(1))
    with open(big, encoding="cp1252") as stream:
        columns = len(stream.readline().split(";"))
    copy_seconds = copy_same_file(big, columns)
    floor = copy_into_values(result.submission.pk)
    rate = result.rows / sw.seconds
    figure(
        f"import {result.rows:,}-row French CSV",
        f"{rate:,.0f} rows/s",
        target=verdict(rate >= 50_000, "≥ 50,000 rows/s"),
    )
    compare_with_copy("CSV", sw.seconds, copy_seconds, floor)
    figure(
        f"import {result_xlsx.rows:,}-row XLSX (same rows)",
        f"{result_xlsx.rows / sw_xlsx.seconds:,.0f} rows/s",
    )
    compare_with_copy("XLSX", sw_xlsx.seconds, copy_seconds, floor)
    memory_growth([partners[1].slug, partners[2].slug], [half, big], tiny)
