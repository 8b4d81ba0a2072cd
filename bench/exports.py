"""Exports of approved values, against COPY ... TO STDOUT.

Part of `bench/measurement.py`, or alone: `python bench/exports.py` builds its own
throw-away database (BENCH_DATABASE, default collectif_bench), loads the demo and
BENCH_EXPORT_VALUES generated values (default 1,000,000), and times the CSV and XLSX
exports, each in a child process whose peak memory is read from the kernel.
"""

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    EXPORT_VALUES,
    figure,
    human,
    megabytes,
    raw_connection,
    run_alone,
    say,
    verdict,
)
from bench.imports import run_child

# ---- Export ---------------------------------------------------------------------------


@dataclass
class Export:
    rows: int
    peak_kb: int
    seconds: float
    megabytes: float


def export(workdir: Path, fmt: str) -> Export:
    """`collectif measurement export` in its own process: rows, peak RSS, wall time."""
    output = workdir / f"export.{fmt}"
    command = Path(sys.executable).parent / "collectif"
    text, peak, seconds = run_child(
        [str(command), "measurement", "export", "--format", fmt, "--output", str(output)]
    )
    rows = int(text.split("Exported ", 1)[1].split()[0])
    size = output.stat().st_size / 1e6
    output.unlink()
    return Export(rows=rows, peak_kb=peak, seconds=seconds, megabytes=size)


COPY_OUT = """
COPY (
    SELECT o.slug, o.name, i.code, i.name, p.code, v.breakdown, v.value
    FROM measurement_value v
    JOIN measurement_submission s ON s.id = v.submission_id
    JOIN ecosystem_organisation o ON o.id = v.organisation_id
    JOIN measurement_indicator i ON i.id = v.indicator_id
    JOIN measurement_period p ON p.id = v.period_id
    WHERE s.status = 'approved' ORDER BY v.id
) TO STDOUT WITH (FORMAT csv, HEADER true)
"""


def copy_out(path: Path) -> float:
    """The best a user could do without the platform: COPY the same rows to a CSV file."""
    conn = raw_connection()
    start = time.perf_counter()
    with conn.cursor() as cur, cur.copy(COPY_OUT) as copy, path.open("wb") as out:
        for chunk in copy:
            out.write(chunk)
    seconds = time.perf_counter() - start
    conn.close()
    path.unlink()
    return seconds


def export_benchmarks(workdir: Path, small: dict[str, Export]) -> None:
    """Compared with the same export of the demo's values: memory must not follow size;
    time is compared with COPY … TO STDOUT of the same rows."""
    copy_seconds = copy_out(workdir / "copy.csv")
    for fmt, before in small.items():
        result = export(workdir, fmt)
        name = fmt.upper()
        per_million = result.seconds * 1_000_000 / max(result.rows, 1)
        figure(
            f"export {result.rows:,} values as {name}: wall time",
            human(result.seconds),
            baseline=f"COPY … TO STDOUT {human(copy_seconds)}",
            ratio=f"{result.seconds / copy_seconds:,.0f}× slower",
            target=verdict(per_million < 60, f"{name} 1M < 60 s"),
        )
        figure(
            f"export {result.rows:,} values as {name}: peak RSS",
            megabytes(result.peak_kb),
            baseline=f"{megabytes(before.peak_kb)} for {before.rows:,} values",
            target=verdict(result.peak_kb < 300 * 1024, "peak < 300 MB"),
        )
        figure(
            f"export {name} speed (process wall time)",
            f"{result.rows / result.seconds:,.0f} rows/s",
            note=f"{human(result.seconds)} with start-up, {result.megabytes:,.0f} MB file",
        )


def _alone() -> None:
    from bench.loading import approved_values, demo_shape, load_values

    with tempfile.TemporaryDirectory(prefix="collectif-bench-") as folder:
        workdir = Path(folder)
        small = {fmt: export(workdir, fmt) for fmt in ("csv", "xlsx")}
        load_values(demo_shape(), EXPORT_VALUES, 0)
        say(f"\nExport ({approved_values():,} approved values)")
        export_benchmarks(workdir, small)


def main() -> int:
    """The export benchmark alone, on its own throw-away PostgreSQL database."""
    return run_alone("export", _alone)


if __name__ == "__main__":
    sys.exit(main())
