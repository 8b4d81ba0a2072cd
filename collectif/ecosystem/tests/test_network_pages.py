"""The network map end to end: the job, the stored analysis, the pages, the files, the API."""

import io
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from collectif.accounts.tests.factories import UserFactory
from collectif.core.actors import SYSTEM
from collectif.core.models import Job
from collectif.core.testing import clear_cache, same_queries_for_3_and_30
from collectif.ecosystem.models import NetworkAnalysis, Organisation, RelationshipType
from collectif.ecosystem.selectors import network as selectors
from collectif.ecosystem.services.network import network_analysis_request
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory, RelationshipFactory

Capture = Callable[..., Any]


def _staff(client: Client) -> None:
    staff = user_with_role("staff")
    assert staff is not None
    client.force_login(staff)


def _compute(capture: Capture) -> Job:
    with capture(execute=True):
        job = network_analysis_request(actor=SYSTEM)
    assert job is not None
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    return job


def _network() -> dict[str, Organisation]:
    """A hub funding two programs, one of them tied to a private organisation; one alone."""
    hub = OrganisationFactory.create(name_en="Hub Foundation", name_fr="Fondation Pivot")
    left = OrganisationFactory.create(name_en="Left Program")
    right = OrganisationFactory.create(name_en="Right Program")
    hidden = OrganisationFactory.create(name_en="Hidden Partner", is_public=False)
    alone = OrganisationFactory.create(name_en="Lonely Program")
    funds = RelationshipType.objects.get(code="funds")
    RelationshipFactory.create(source=hub, target=left, type=funds)
    RelationshipFactory.create(source=hub, target=right, type=funds)
    RelationshipFactory.create(source=right, target=hidden)
    return {"hub": hub, "left": left, "right": right, "hidden": hidden, "alone": alone}


@pytest.mark.django_db
def test_the_job_stores_the_whole_network_and_its_public_part(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    orgs = _network()
    job = _compute(django_capture_on_commit_callbacks)
    # The job's page says what it did in words, never a step's code.
    assert job.message == "Organisations placed on the map"

    whole = selectors.latest_analysis(scope=selectors.SCOPE_ALL)
    public = selectors.latest_analysis(scope=selectors.SCOPE_PUBLIC)
    assert whole is not None and public is not None
    assert (whole.node_count, whole.edge_count) == (5, 3)
    assert (public.node_count, public.edge_count) == (4, 2)
    # The public degree of the right program does not count its tie to the private one.
    right_public = public.nodes.get(organisation=orgs["right"])
    right_whole = whole.nodes.get(organisation=orgs["right"])
    assert (right_public.degree, right_whole.degree) == (1, 2)
    assert selectors.analysis_freshness(scope=selectors.SCOPE_ALL).changes == 0


@pytest.mark.django_db
def test_a_second_request_while_one_waits_queues_nothing() -> None:
    first = network_analysis_request(actor=SYSTEM)  # on_commit never runs: still queued
    assert first is not None
    assert network_analysis_request(actor=SYSTEM) is None
    assert Job.objects.filter(kind=selectors.ANALYSIS_JOB_KIND).count() == 1


@pytest.mark.django_db
def test_only_staff_may_ask_for_a_computation() -> None:
    with pytest.raises(PermissionDenied):
        network_analysis_request(actor=UserFactory.create())


@pytest.mark.django_db
def test_the_map_shows_the_public_only_public_organisations(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    _network()
    _compute(django_capture_on_commit_callbacks)

    page = client.get("/en/ecosystem/network/").content.decode()
    assert 'role="img"' in page and "<desc" in page
    assert "Hub Foundation" in page
    assert "Hidden Partner" not in page
    assert "Lonely Program" in page  # the list of organisations without ties
    assert "Non-profit" in page  # the legend names the colour

    _staff(client)
    staff_page = client.get("/en/ecosystem/network/").content.decode()
    assert "Hidden Partner" in staff_page
    assert "Compute the network again" in staff_page


@pytest.mark.django_db
def test_the_map_in_french_and_filtered(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    _network()
    _compute(django_capture_on_commit_callbacks)

    page = client.get("/fr/ecosystem/network/?type=funds&size=betweenness&province=ON")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Carte du réseau" in text
    assert "Fondation Pivot" in text
    empty = client.get("/en/ecosystem/network/?province=NU").content.decode()
    assert "No organisation matches these filters." in empty


@pytest.mark.django_db
def test_the_drawing_is_served_from_the_cache(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    _network()
    _compute(django_capture_on_commit_callbacks)
    client.get("/en/ecosystem/network/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/en/ecosystem/network/")
    tables = " ".join(query["sql"] for query in warm.captured_queries)
    assert '"ecosystem_nodemetric"' not in tables
    assert '"ecosystem_relationship"' not in tables
    assert '"ecosystem_sector"' not in tables


@pytest.mark.django_db
def test_the_page_says_when_the_analysis_is_out_of_date(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    orgs = _network()
    _compute(django_capture_on_commit_callbacks)
    RelationshipFactory.create(source=orgs["left"], target=orgs["alone"])
    RelationshipFactory.create(source=orgs["alone"], target=orgs["hub"])
    public = client.get("/en/ecosystem/network/").content.decode()
    assert "Out of date" not in public  # the count includes private organisations' ties
    _staff(client)
    page = client.get("/en/ecosystem/network/").content.decode()
    assert "Out of date: 2 changes to the relationships since." in page


@pytest.mark.django_db
def test_staff_recompute_goes_to_the_job_page(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    _network()
    _staff(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/ecosystem/network/refresh/")
    assert response.status_code == 302
    assert "/jobs/" in response["Location"]
    job = Job.objects.get(kind=selectors.ANALYSIS_JOB_KIND)
    job.refresh_from_db()
    assert job.message == "Organismes placés sur la carte"  # in the language of who asked
    assert NetworkAnalysis.objects.count() == 2
    assert client.get("/en/ecosystem/network/refresh/").status_code == 405


@pytest.mark.django_db
def test_the_table_is_paginated_in_sql_and_sorted(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    hub = OrganisationFactory.create(name_en="Hub Foundation")

    def add(count: int) -> None:
        for _ in range(count):
            RelationshipFactory.create(source=hub, target=OrganisationFactory.create())
        NetworkAnalysis.objects.all().delete()
        _compute(django_capture_on_commit_callbacks)
        clear_cache()

    url = "/en/ecosystem/network/table/?sort=betweenness"
    assert same_queries_for_3_and_30(client, url, add) == 8
    page = client.get(url).content.decode()
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "Hub Foundation" in first_row
    assert client.get("/en/ecosystem/network/table/?sort=-name&page=2").status_code == 200


@pytest.mark.django_db
def test_the_map_drawn_afresh_costs_the_same_queries_for_3_and_30_organisations(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    from collectif.core.results_version import forget_local_pages

    hub = OrganisationFactory.create(name_en="Hub Foundation")

    def add(count: int) -> None:
        for _ in range(count):
            RelationshipFactory.create(source=hub, target=OrganisationFactory.create())
        RelationshipFactory.create(source=OrganisationFactory.create(), target=hub)
        NetworkAnalysis.objects.all().delete()
        _compute(django_capture_on_commit_callbacks)
        OrganisationFactory.create()  # one without ties, for the "isolated" list
        clear_cache()
        forget_local_pages()

    url = "/en/ecosystem/network/?size=closeness"
    assert same_queries_for_3_and_30(client, url, add) == 18


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["graphml", "gexf"])
def test_the_exported_file_reads_back_the_same(
    client: Client, django_capture_on_commit_callbacks: Capture, file_format: str
) -> None:
    orgs = _network()
    _compute(django_capture_on_commit_callbacks)
    _staff(client)
    response = client.get(f"/en/ecosystem/network/export/?format={file_format}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    reader = nx.read_graphml if file_format == "graphml" else nx.read_gexf
    graph = reader(io.BytesIO(response.content))
    assert set(graph.nodes) == {org.slug for org in orgs.values()}
    assert graph.number_of_edges() == 3
    hub = graph.nodes[orgs["hub"].slug]
    assert hub["name"] == "Hub Foundation"
    assert hub["province"] == "Ontario"
    assert int(hub["degree"]) == 2
    funded = graph.get_edge_data(orgs["hub"].slug, orgs["left"].slug)
    (attributes,) = funded.values() if graph.is_multigraph() else [funded]
    assert attributes["relationship"] == "funds"
    assert int(attributes["strength"]) == 2


@pytest.mark.django_db
def test_the_public_export_leaves_out_private_organisations(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    orgs = _network()
    _compute(django_capture_on_commit_callbacks)
    graph = nx.read_graphml(io.BytesIO(client.get("/en/ecosystem/network/export/").content))
    assert orgs["hidden"].slug not in graph
    assert graph.number_of_edges() == 2
    assert client.get("/en/ecosystem/network/export/?format=pdf").status_code == 404


@pytest.mark.django_db
def test_the_command_writes_the_whole_network(
    tmp_path: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    orgs = _network()
    _compute(django_capture_on_commit_callbacks)
    output = tmp_path / "network.gexf"
    out = io.StringIO()
    call_command(
        "ecosystem", "export-network", "--format", "gexf", "--output", str(output), stdout=out
    )
    assert "5 organisations and 3 ties written" in out.getvalue()
    graph = nx.read_gexf(output)
    assert orgs["hidden"].slug in graph


@pytest.mark.django_db
def test_the_api_gives_the_summary_and_the_public_metrics(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    orgs = _network()
    _compute(django_capture_on_commit_callbacks)
    summary = client.get("/api/v1/network").json()
    assert (summary["organisations"], summary["ties"], summary["changes_since"]) == (4, 2, None)
    nodes = client.get("/api/v1/network/nodes?sort=degree").json()
    assert nodes["count"] == 4
    assert nodes["results"][0]["organisation"] == orgs["hub"].slug
    assert orgs["hidden"].slug not in {row["organisation"] for row in nodes["results"]}


@pytest.mark.django_db
def test_the_staff_home_counts_changes_the_map_does_not_show_while_no_job_is_on_its_way(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    from collectif.core.manifest import attention_items

    people = _network()
    _compute(django_capture_on_commit_callbacks)
    staff = user_with_role("staff")

    def waiting() -> int:
        label = "Relationship changes the network map does not show yet"
        return next(item.count for item in attention_items(staff) if item.label == label)

    assert waiting() == 0
    RelationshipFactory.create(source=people["left"], target=people["alone"])
    assert waiting() == 1  # a factory queues nothing: as if the worker had stopped
    network_analysis_request(actor=SYSTEM)
    assert waiting() == 0  # a computation is on its way
    assert not [i for i in attention_items(UserFactory.create()) if "network" in str(i.url)]
