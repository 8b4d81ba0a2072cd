"""`collectif ecosystem export-network --format graphml|gexf --output FILE`.

The operator's copy of the whole network (public and private organisations) with the
latest computed metrics, for Gephi or NetworkX; the same file as the map page's link.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from collectif.core.actors import SYSTEM
from collectif.core.formatting import format_number
from collectif.ecosystem.cli import CliAction
from collectif.ecosystem.domain.network_files import FORMATS, export_graph, write
from collectif.ecosystem.selectors import network as selectors


def add_arguments(parser: Any) -> None:
    parser.add_argument("--format", choices=FORMATS, default="graphml", dest="file_format")
    parser.add_argument("--output", required=True, help="the file to write")
    parser.add_argument("--province", default="", help="only this province or territory (code)")
    parser.add_argument("--sector", default="", help="only this sector (code)")
    parser.add_argument("--type", default="", dest="type_code", help="only ties of this type")
    parser.add_argument("--language", choices=("en", "fr"), default="en")


def run(
    command: BaseCommand,
    *,
    file_format: str,
    output: str,
    province: str,
    sector: str,
    type_code: str,
    language: str,
    **options: Any,
) -> None:
    with translation.override(language):
        if selectors.latest_analysis(scope=selectors.SCOPE_ALL) is None:
            raise CommandError(
                _(
                    "The network has not been computed yet: press “Compute the network again” "
                    "on the network map page, then run this again once it has finished."
                )
            )
        filters = selectors.NetworkFilters(province=province.upper(), sector=sector, type=type_code)
        nodes, edges = selectors.export_rows(user=SYSTEM, filters=filters)
        try:
            Path(output).write_bytes(write(export_graph(nodes, edges), file_format=file_format))
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": error.strerror}
            ) from error
        command.stdout.write(
            _("%(nodes)s organisations and %(edges)s ties written to %(file)s.")
            % {
                "nodes": format_number(len(nodes)),
                "edges": format_number(len(edges)),
                "file": output,
            }
        )


ACTION = CliAction(
    name="export-network",
    help="Write the network with its metrics as GraphML or GEXF (Gephi, NetworkX).",
    add_arguments=add_arguments,
    run=run,
)
