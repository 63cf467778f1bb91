"""Jobs over HTTP against the running stack, with the test job kinds: create, status, list,
conflicts, cancel, another organization's jobs, the event stream, and `copydesk jobs watch`."""

import subprocess
import sys
import time
from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.e2e.catalog_steps import new_project
from tests.e2e.generation_steps import project_with_products, read_events, use_up_balance
from tests.e2e.helpers import Tenant, new_tenant
from tests.support import ROOT, Stack, wait_until
from workers.runtime import child_env

FINISHED = ("completed", "failed", "cancelled")


@pytest.fixture(scope="module")
def tenant(stack: Stack) -> Tenant:
    return new_tenant(stack, "Job Shop")


def create(stack: Stack, tenant: Tenant, project: str, kind: str = "test.sleep",
           **payload: Any) -> httpx.Response:
    return httpx.post(f"{stack.base_url}/api/v1/projects/{project}/jobs", headers=tenant.headers,
                      json={"job_type": kind, "payload": payload}, timeout=30)


def started(stack: Stack, tenant: Tenant, **payload: Any) -> str:
    response = create(stack, tenant, new_project(stack, tenant)["id"], **payload)
    assert response.status_code == 200, response.text
    return str(response.json()["job_id"])


def job(stack: Stack, tenant: Tenant, job_id: str, **params: Any) -> dict[str, Any]:
    response = httpx.get(f"{stack.base_url}/api/v1/jobs/{job_id}", headers=tenant.headers,
                         params=params, timeout=30)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def finished(stack: Stack, tenant: Tenant, job_id: str, seconds: float = 60) -> dict[str, Any]:
    wait_until(lambda: job(stack, tenant, job_id)["status"] in FINISHED, seconds,
               f"job {job_id} to finish")
    return job(stack, tenant, job_id)


def test_a_job_is_created_runs_and_reports_its_items_and_result(
    stack: Stack, tenant: Tenant
) -> None:
    project = new_project(stack, tenant)["id"]
    response = create(stack, tenant, project, units=12, fail=["u00003"], tokens=5)
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["status"] == "queued"
    done = finished(stack, tenant, created["job_id"])
    assert done["status"] == "completed"
    assert (done["progress_current"], done["progress_total"]) == (12, 12)
    assert (done["succeeded"], done["failed"], done["skipped"]) == (11, 1, 0)
    assert done["cost"] == "55.00"
    assert done["result"] == {"total": 12, "processed": 12, "succeeded": 11, "failed": 1,
                              "skipped": 0, "cost": "55.00"}
    assert done["job_type"] == "test.sleep" and done["error"] is None
    assert done["created_at"] and done["started_at"] and done["completed_at"]
    items = {item["unit_id"]: item for item in done["progress_detail"]}
    assert len(items) == 12 and done["progress_detail_total"] == 12
    assert items["u00003"]["status"] == "failed" and items["u00003"]["error"] == "asked to fail"
    assert items["u00000"]["status"] == "succeeded" and items["u00000"]["cost"] == "5.00"
    page = job(stack, tenant, created["job_id"], page=2, page_size=5)
    assert [i["unit_id"] for i in page["progress_detail"]] == [
        i["unit_id"] for i in done["progress_detail"][5:10]]


def test_jobs_of_a_project_are_listed_newest_first_and_by_status(
    stack: Stack, tenant: Tenant
) -> None:
    project = new_project(stack, tenant)["id"]
    first = create(stack, tenant, project, units=1).json()["job_id"]
    finished(stack, tenant, first)
    second = create(stack, tenant, project, units=1, fail=["u00000"]).json()["job_id"]
    finished(stack, tenant, second)
    url = f"{stack.base_url}/api/v1/projects/{project}/jobs"
    listed = httpx.get(url, headers=tenant.headers, timeout=30).json()
    assert [j["id"] for j in listed] == [second, first]
    assert set(listed[0]) == {"id", "job_type", "status", "progress_current", "progress_total",
                              "created_at", "started_at", "completed_at", "error"}
    failed = httpx.get(url, params={"status": "failed"}, headers=tenant.headers, timeout=30)
    assert [j["id"] for j in failed.json()] == [second]
    assert failed.json()[0]["error"].startswith("every item failed: "), failed.json()


def test_a_second_conflicting_job_on_a_project_is_refused_until_the_first_ends(
    stack: Stack, tenant: Tenant
) -> None:
    project = new_project(stack, tenant)["id"]
    first = create(stack, tenant, project, units=4, latency=1.0)
    assert first.status_code == 200
    second = create(stack, tenant, project, units=1)
    assert second.status_code == 409, second.text
    assert "already running" in second.json()["detail"]
    beside = create(stack, tenant, project, kind="test.echo", units=1)
    assert beside.status_code == 200, "a kind without conflicts runs beside it"
    elsewhere = new_project(stack, tenant)["id"]
    assert create(stack, tenant, elsewhere, units=1).status_code == 200, "another project"
    finished(stack, tenant, first.json()["job_id"])
    assert create(stack, tenant, project, units=1).status_code == 200


def test_cancel_stops_a_job_and_a_finished_job_cannot_be_cancelled(
    stack: Stack, tenant: Tenant
) -> None:
    job_id = started(stack, tenant, units=60, latency=0.5)
    wait_until(lambda: job(stack, tenant, job_id)["progress_current"] >= 8, 30, "some progress")
    url = f"{stack.base_url}/api/v1/jobs/{job_id}/cancel"
    cancelled = httpx.post(url, headers=tenant.headers, timeout=30)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert httpx.post(url, headers=tenant.headers, timeout=30).status_code == 200
    wait_until(lambda: job(stack, tenant, job_id)["progress_current"] == 60, 30,
               "every unit to be accounted for")
    after = job(stack, tenant, job_id)
    assert after["status"] == "cancelled" and after["skipped"] > 30
    done = started(stack, tenant, units=1)
    finished(stack, tenant, done)
    refused = httpx.post(f"{stack.base_url}/api/v1/jobs/{done}/cancel", headers=tenant.headers,
                         timeout=30)
    assert refused.status_code == 409 and "completed" in refused.json()["detail"]


def test_another_organizations_job_is_not_found(stack: Stack, tenant: Tenant) -> None:
    project = new_project(stack, tenant)["id"]
    job_id = create(stack, tenant, project, units=1).json()["job_id"]
    other = new_tenant(stack, "Other Shop")
    base = stack.base_url
    for method, path in [("GET", f"/api/v1/jobs/{job_id}"), ("POST", f"/api/v1/jobs/{job_id}/cancel"),
                         ("GET", f"/api/v1/jobs/{job_id}/stream")]:
        response = httpx.request(method, base + path, headers=other.headers, timeout=30)
        assert response.status_code == 404, (path, response.text)
        assert response.json() == {"detail": "job not found", "status": 404}
    listed = httpx.get(f"{base}/api/v1/projects/{project}/jobs", headers=other.headers, timeout=30)
    assert listed.status_code == 404, "another organization's project"
    assert httpx.get(f"{base}/api/v1/jobs/{job_id}", timeout=30).status_code == 401


def test_the_specifications_job_types_are_taken_and_shown(stack: Stack, tenant: Tenant) -> None:
    project, items = project_with_products(stack, tenant, count=2, prefix="JT")
    created = create(stack, tenant, project, kind="generation", item_ids=items[:1])
    assert created.status_code == 200, created.text
    done = finished(stack, tenant, created.json()["job_id"])
    assert (done["job_type"], done["status"], done["succeeded"]) == ("generation", "completed", 1)
    again = create(stack, tenant, project, kind="regeneration", item_ids=items[:1])
    assert again.status_code == 200, again.text
    finished(stack, tenant, again.json()["job_id"])
    listed = httpx.get(f"{stack.base_url}/api/v1/projects/{project}/jobs",
                       headers=tenant.headers, timeout=30).json()
    assert [j["job_type"] for j in listed] == ["regeneration", "generation"]
    own_name = create(stack, tenant, project, kind="content.generate", item_ids=items[1:])
    assert own_name.status_code == 200, "copydesk's own kind names are still taken"
    assert finished(stack, tenant, own_name.json()["job_id"])["job_type"] == "generation"


def test_a_sync_job_is_refused_for_a_project_without_a_store_connection(
    stack: Stack, tenant: Tenant,
) -> None:
    response = create(stack, tenant, new_project(stack, tenant)["id"], kind="sync")
    assert response.status_code == 422, response.text
    assert "store_connection_id" in response.json()["detail"]
    unknown = create(stack, tenant, new_project(stack, tenant)["id"], kind="nope")
    assert "generation, regeneration, import, sync" in unknown.json()["detail"]


def test_a_generation_job_needs_a_balance_that_pays_for_an_item(stack: Stack) -> None:
    broke = new_tenant(stack, "Broke Jobs Shop")
    project = new_project(stack, broke)["id"]
    use_up_balance(stack, broke)
    response = create(stack, broke, project, kind="generation")
    assert response.status_code == 402, response.text
    assert "XCT" in response.json()["detail"]


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"job_type": "nope", "payload": {}}, 422, "job_type must be one of"),
    ({"job_type": "test.sleep", "payload": {"units": "many"}}, 422, "units"),
    ({"payload": {}}, 400, "job_type"),
    ({"job_type": 7}, 400, "job_type"),
    ({"job_type": "test.sleep", "payload": [1]}, 400, "payload"),
])
def test_bad_job_requests_are_refused_with_a_4xx_that_says_why(
    stack: Stack, tenant: Tenant, body: dict[str, Any], status: int, words: str
) -> None:
    project = new_project(stack, tenant)["id"]
    response = httpx.post(f"{stack.base_url}/api/v1/projects/{project}/jobs", json=body,
                          headers=tenant.headers, timeout=30)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/jobs/not-a-uuid", "/api/v1/projects/x/jobs",
                                  "/api/v1/projects/{p}/jobs?status=sleeping",
                                  "/api/v1/jobs/{p}?page_size=1000", "/api/v1/jobs/{p}?page=0"])
def test_malformed_job_queries_are_refused_with_a_4xx(
    stack: Stack, tenant: Tenant, path: str
) -> None:
    response = httpx.get(stack.base_url + path.format(p=uuid4()), headers=tenant.headers,
                         timeout=30)
    assert 400 <= response.status_code < 500, response.text


def test_the_stream_sends_items_progress_and_done_in_order_with_heartbeats(
    stack: Stack, tenant: Tenant
) -> None:
    job_id = started(stack, tenant, units=16, latency=1.0, fail=["u00002"])
    with httpx.stream("GET", f"{stack.base_url}/api/v1/jobs/{job_id}/stream",
                      headers=tenant.headers, timeout=60) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = read_events(response)
    names = [name for name, _ in events]
    assert "heartbeat" in names
    assert names[-1] == "done" and names.count("done") == 1
    items = [data for name, data in events if name == "item"]
    assert sorted(i["unit_id"] for i in items) == [f"u{n:05d}" for n in range(16)]
    errors = [data for name, data in events if name == "error"]
    assert errors == [{"unit_id": "u00002", "error": "asked to fail"}]
    progress = [data["processed"] for name, data in events if name == "progress"]
    assert progress == sorted(progress) and progress[-1] == 16
    done = events[-1][1]
    assert (done["status"], done["processed"], done["total"], done["failed"]) == (
        "completed", 16, 16, 1)


def test_leaving_the_stream_does_not_stop_the_job(stack: Stack, tenant: Tenant) -> None:
    job_id = started(stack, tenant, units=24, latency=0.5)
    with httpx.stream("GET", f"{stack.base_url}/api/v1/jobs/{job_id}/stream",
                      headers=tenant.headers, timeout=60) as response:
        first = read_events(response, until="progress")
    assert first[-1][0] == "progress" and first[-1][1]["processed"] < 24
    done = finished(stack, tenant, job_id)
    assert (done["status"], done["progress_current"]) == ("completed", 24)
    with httpx.stream("GET", f"{stack.base_url}/api/v1/jobs/{job_id}/stream",
                      headers=tenant.headers, timeout=60) as again:
        replay = read_events(again)
    assert len([n for n, _ in replay if n == "item"]) == 24 and replay[-1][0] == "done"


def test_cli_watch_draws_the_progress_bar_and_exits_when_the_job_ends(
    stack: Stack, tenant: Tenant
) -> None:
    project = new_project(stack, tenant)["id"]
    job_id = create(stack, tenant, project, units=10, latency=0.3).json()["job_id"]
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "workers.cli", "jobs", "watch", job_id],
                          cwd=ROOT, env=child_env(stack.settings), capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - began < 60
    out = done.stdout.decode()
    assert "\r[" + "#" * 30 + "] 10/10 succeeded 10 failed 0 · " in out
    assert "items/s" in out and out.endswith("job completed\n")
    listed = subprocess.run([sys.executable, "-m", "workers.cli", "jobs", "list", "--project",
                             project], cwd=ROOT, env=child_env(stack.settings),
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0 and job_id in listed.stdout and "completed" in listed.stdout
