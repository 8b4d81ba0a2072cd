"""The gap matrix over the API (backbone staff only), mounted at /api/v1/gaps.

One call gives a whole matrix: its columns, and per sector the cells with their counts
by stage, their target and their status, as the page shows them. Stages, statuses and
columns travel as codes (`committed`, `weak`, `ON`, `newcomer`), names in both languages.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from collectif.accounts.api_auth import required_auth
from collectif.core.api_errors import responses
from collectif.ecosystem.models import GapAxis, Stage
from collectif.ecosystem.selectors import gaps as selectors
from collectif.ecosystem.selectors.gaps import Cell, GapFilters

router = Router(tags=["gaps"], auth=required_auth)

STAGE_CODES = ", ".join(Stage.values)


class MatrixQuery(Schema):
    axis: GapAxis = Field(GapAxis.PROVINCE, description="province or population")
    equity: str = Field("", max_length=40, description="Only organisations with this identity")
    stage: Stage | None = Field(
        None, description=f"Only organisations at this stage: {STAGE_CODES}"
    )


class ColumnOut(Schema):
    code: str = Field(description="A province or territory code, or a population group code")
    name: str = Field(description="In the language the client asked for")


class TargetOut(Schema):
    stage: str = Field(description="Organisations count from this stage on")
    count: int = Field(description="How many the cell needs")
    configured: bool = Field(description="False when the default target applies")


class CellOut(Schema):
    column: str
    counts: dict[str, int] = Field(description="Organisations by stage code, zeros included")
    total: int
    reached: int = Field(description="Organisations at the target's stage or beyond")
    target: TargetOut
    status: str = Field(description="empty, weak or met")


class RowOut(Schema):
    sector: str = Field(description="Sector code, from /sectors")
    sector_name: str
    cells: list[CellOut]


class MatrixOut(Schema):
    axis: str
    equity: str
    stage: str
    columns: list[ColumnOut]
    rows: list[RowOut]


def _cell(cell: Cell) -> CellOut:
    return CellOut(
        column=cell.column.key,
        counts=cell.counts,
        total=cell.total,
        reached=cell.reached,
        target=TargetOut(
            stage=cell.target.stage,
            count=cell.target.count,
            configured=cell.target.rule is not None,
        ),
        status=cell.status.value,
    )


@router.get("", response=responses(MatrixOut, 403), summary="The gap matrix (backbone staff)")
def gap_matrix(request: HttpRequest, query: Query[MatrixQuery]) -> MatrixOut:
    if not request.user.has_perm("ecosystem.view_gaps"):
        raise PermissionDenied
    filters = GapFilters(equity=query.equity, stage=query.stage.value if query.stage else "")
    matrix = selectors.gap_matrix(axis=query.axis.value, filters=filters)
    return MatrixOut(
        axis=matrix.axis,
        equity=filters.equity,
        stage=filters.stage,
        columns=[ColumnOut(code=c.key, name=c.name) for c in matrix.columns],
        rows=[
            RowOut(
                sector=row.sector.code,
                sector_name=row.sector.name,
                cells=[_cell(cell) for cell in row.cells],
            )
            for row in matrix.rows
        ],
    )
