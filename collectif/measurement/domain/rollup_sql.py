"""The set-based rollup rebuild: `organisation_cells` restated on rows, in one INSERT …
SELECT … GROUP BY per aggregation kind.

A value's breakdown key is already split by the database into `province` ("" without
one), `member` (the rest of the key) and `crosstab` (that rest crosses two dimensions),
so nothing here parses text. An organisation's cells in a slice come from three streams
of values, added up by one final GROUP BY of a few thousand cells; no stream groups the
national values per organisation (the costly step of the previous version):

- its national values (no province): Canada, and its head-office province when it does
  not report by province (any value with a province, cross-tabulations included: a
  lookup in the smaller set of organisations that do);
- its province parts: that province;
- the members it reports only by province: Canada gets the sum of their parts.

"Latest" takes the value of the most recently reviewed organisation, the highest id on a
tie, and remembers whose it is so approvals can update it by comparison.
"""

_RAW = """
    SELECT {indicator} AS indicator_id, {role} AS role, v.period_id, v.organisation_id,
           s.reviewed_at, v.province, v.member, v.crosstab, v.value
    FROM {value} v
    JOIN {submission} s ON s.id = v.submission_id{weights}
    WHERE s.status = %s AND {indicator} IN ({ids}){where}"""

_CELLS = """
WITH raw AS {not_materialized}({raw}
),
by_province AS (
    SELECT DISTINCT indicator_id, role, period_id, organisation_id
    FROM raw WHERE province <> ''
),
parts AS (
    SELECT indicator_id, role, period_id, organisation_id, member,
           sum(value) AS value, max(reviewed_at) AS reviewed_at
    FROM raw WHERE province <> '' AND NOT crosstab
    GROUP BY indicator_id, role, period_id, organisation_id, member
),
cells AS (
    SELECT n.indicator_id, n.role, n.period_id, n.organisation_id, n.reviewed_at,
           CASE WHEN h.home = 0 THEN '{canada}' ELSE o.head_office_province_id END AS region,
           n.member, n.value
    FROM raw n
    JOIN {organisation} o ON o.id = n.organisation_id
    LEFT JOIN by_province b ON b.indicator_id = n.indicator_id AND b.role = n.role
        AND b.period_id = n.period_id AND b.organisation_id = n.organisation_id
    JOIN (SELECT 0 AS home UNION ALL SELECT 1) h ON h.home = 0 OR b.organisation_id IS NULL
    WHERE n.province = '' AND NOT n.crosstab
    UNION ALL
    SELECT indicator_id, role, period_id, organisation_id, reviewed_at, province, member, value
    FROM raw WHERE province <> '' AND NOT crosstab
    UNION ALL
    SELECT p.indicator_id, p.role, p.period_id, p.organisation_id, p.reviewed_at,
           '{canada}', p.member, p.value
    FROM parts p
    WHERE NOT EXISTS (
        SELECT 1 FROM raw n
        WHERE n.province = '' AND n.indicator_id = p.indicator_id AND n.role = p.role
            AND n.period_id = p.period_id AND n.organisation_id = p.organisation_id
            AND n.member = p.member
    )
)"""

COLUMNS = (
    "indicator_id, period_id, region, member, total, count, weighted_total, weight, latest, "
    "latest_organisation_id, latest_reviewed_at, organisations"
)

_NO_LATEST = "CAST(NULL AS NUMERIC), CAST(NULL AS INTEGER), CAST(NULL AS {timestamp})"

_SELECT: dict[str, str] = {
    "sum": """
SELECT indicator_id, period_id, region, member,
       sum(value), count(*), 0, 0, {no_latest}, count(*)
FROM cells GROUP BY indicator_id, period_id, region, member""",
    # Each organisation's value and weight side by side, by grouping rather than by a
    # self-join, which planners estimate badly on a common table expression.
    "weighted_mean": """
SELECT indicator_id, period_id, region, member, sum(value), count(*),
       coalesce(sum({weighted}), 0), coalesce(sum(weight), 0), {no_latest}, count(*)
FROM (
    SELECT indicator_id, period_id, organisation_id, region, member,
           max(CASE WHEN role = 0 THEN value END) AS value,
           max(CASE WHEN role = 1 THEN value END) AS weight
    FROM cells
    GROUP BY indicator_id, period_id, organisation_id, region, member
) paired
WHERE value IS NOT NULL
GROUP BY indicator_id, period_id, region, member""",
    "latest": """
SELECT indicator_id, period_id, region, member, sum(value), count(*), 0, 0,
       max(CASE WHEN newest = 1 THEN value END),
       max(CASE WHEN newest = 1 THEN organisation_id END),
       max(CASE WHEN newest = 1 THEN reviewed_at END), count(*)
FROM (
    SELECT cells.*, row_number() OVER (
        PARTITION BY indicator_id, period_id, region, member
        ORDER BY reviewed_at DESC, organisation_id DESC
    ) AS newest
    FROM cells
) ranked
GROUP BY indicator_id, period_id, region, member""",
}
_SELECT["mean"] = _SELECT["sum"]


def _weighted_sql(vendor: str) -> str:
    """A value times its weight, rounded to six decimals as `_weighted` does (half to even).

    SQLite keeps decimals as floating point, so there plain rounding is as close as it gets.
    """
    if vendor != "postgresql":
        return "round(value * weight, 6)"
    scaled = "(value * weight * 1000000)"
    return (
        f"(floor({scaled}) + CASE WHEN {scaled} - floor({scaled}) > 0.5 OR "
        f"({scaled} - floor({scaled}) = 0.5 AND mod(floor({scaled}), 2) <> 0) "
        "THEN 1 ELSE 0 END) * 0.000001"
    )


def insert_sql(
    aggregation: str, vendor: str, tables: dict[str, str], *, indicators: int, one_period: bool
) -> str:
    """The INSERT … SELECT writing the rollup rows of these indicators of one aggregation
    kind. Parameters, for each copy of the raw values (two for a weighted mean, the
    second being the weights): the approved status, the indicator ids, then the period
    if `one_period`."""
    names = {
        "ids": ", ".join(["%s"] * indicators),
        "where": " AND v.period_id = %s" if one_period else "",
        "value": tables["value"],
        "submission": tables["submission"],
    }
    raw = _RAW.format(indicator="v.indicator_id", role=0, weights="", **names)
    if aggregation == "weighted_mean":
        weights = f"\n    JOIN {tables['indicator']} i ON i.weight_indicator_id = v.indicator_id"
        raw += "\n    UNION ALL" + _RAW.format(indicator="i.id", role=1, weights=weights, **names)
    postgresql = vendor == "postgresql"
    cells = _CELLS.format(
        raw=raw,
        # Inlined where used: a materialised copy of a million rows costs more than
        # reading the table again.
        not_materialized="NOT MATERIALIZED " if postgresql else "",
        organisation=tables["organisation"],
        canada=tables["canada"],
    )
    select = (
        _SELECT[aggregation]
        .replace("{weighted}", _weighted_sql(vendor))
        .replace("{no_latest}", _NO_LATEST)
        .replace("{timestamp}", "TIMESTAMP WITH TIME ZONE" if postgresql else "TEXT")
    )
    return f"INSERT INTO {tables['rollup']} ({COLUMNS})" + cells + select
