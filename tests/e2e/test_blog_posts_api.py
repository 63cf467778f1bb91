"""Blog posts (`/api/v1/projects/{id}/blog-posts`) over real HTTP: a post written from three
products through its `blog.generate` job by the offline writer, listed, filtered, edited (HTML
sanitised, slug unique in the project, each text kept as a version), regenerated, scored for
SEO, counted, deleted; another organization's ids not found and bad input answered 4xx naming
the field. (The language models: `test_blog_post_providers`.)"""

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest

from adapters.embedded import EmbeddedServers
from tests.e2e.blog_post_steps import (
    PRODUCTS,
    blog_llm_stack,
    camping_project,
    create,
    posts_path,
    wait_written,
)
from tests.e2e.catalog_steps import call, new_project
from tests.e2e.generation_steps import charges_per_reference
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.llm_server import FakeLLM
from tests.support import Stack


@pytest.fixture(scope="module")
def llm_stack(servers: EmbeddedServers, llm_server: FakeLLM,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    yield from blog_llm_stack(servers, llm_server, tmp_path_factory)


@pytest.fixture(scope="module")
def tenant(llm_stack: Stack) -> Tenant:
    return new_tenant(llm_stack, "Camping Shop")


@pytest.fixture(scope="module")
def project(llm_stack: Stack, tenant: Tenant) -> tuple[str, list[str]]:
    return camping_project(llm_stack, tenant)


def test_the_template_writer_writes_a_post_from_three_products_through_its_job(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]]
) -> None:
    project_id, item_ids = project
    response = create(llm_stack, tenant, project_id, source_item_ids=item_ids,
                      wp_category_ids=[3, 7])
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["status"] == "generating" and created["job_id"]
    assert created["source_item_ids"] == item_ids and created["wp_category_ids"] == [3, 7]
    assert created["organization_id"] == str(tenant.org_id)
    post = wait_written(llm_stack, tenant, project_id, created["id"])
    assert post["status"] == "draft", post
    for product in PRODUCTS:
        assert product["name"] in post["content"]
    assert "<h2>" in post["content"] and "<script" not in post["content"]
    assert post["title"].lower().startswith("camping gear for cold nights")
    assert post["slug"] == "camping-gear-for-cold-nights-a-roundup-of-our-picks"
    assert post["excerpt"]
    assert post["seo_meta"]["focus_keyword"] == "camping gear for cold nights"
    assert len(post["seo_meta"]["title"]) <= 60 and len(post["seo_meta"]["description"]) <= 160
    assert post["product_links"] == {item_ids[0]: "https://shop.example/ridge-tent",
                                     item_ids[2]: "https://shop.example/foam-mat"}
    job = call(llm_stack, "GET", f"/jobs/{created['job_id']}", tenant.headers)
    assert job.status_code == 200, job.text
    assert job.json()["status"] == "completed"
    assert charges_per_reference(llm_stack.settings, created["job_id"]) == {
        f"{created['job_id']}:post": 1}
    listed = call(llm_stack, "GET", posts_path(project_id), tenant.headers).json()
    assert created["id"] in [p["id"] for p in listed]
    versions = call(llm_stack, "GET", f"{posts_path(project_id)}/{created['id']}/versions",
                    tenant.headers).json()
    assert [(v["version"], v["source"], v["job_id"]) for v in versions] == [
        (1, "generated", created["job_id"])]


def test_a_blog_template_shapes_the_sections_and_the_tone_of_the_post(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]]
) -> None:
    project_id, item_ids = project
    template = call(llm_stack, "POST", "/blog-templates", tenant.headers, {
        "name": "Guide", "tone": "friendly",
        "structure": {"sections": ["What to pack", "Staying warm"], "length": "long"}})
    assert template.status_code == 200, template.text
    made = create(llm_stack, tenant, project_id, post_type="buying_guide",
                  topic="a cold night out", source_item_ids=item_ids,
                  template_id=template.json()["id"])
    assert made.status_code == 200, made.text
    assert made.json()["template_id"] == template.json()["id"]
    post = wait_written(llm_stack, tenant, project_id, made.json()["id"])
    content = post["content"]
    assert content.startswith("<p>Looking into a cold night out?")
    assert content.index("<h2>What to pack</h2>") < content.index("<h2>Staying warm</h2>")
    assert "Packs small." in content  # the template's length: long


def test_a_built_in_template_writes_its_sections(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]]
) -> None:
    project_id, item_ids = project
    listed = call(llm_stack, "GET", "/blog-templates", tenant.headers).json()
    how_to = next(t for t in listed if t["is_built_in"]
                  and t["structure"]["post_type"] == "how_to")
    made = create(llm_stack, tenant, project_id, post_type="how_to", topic="drying a tent",
                  source_item_ids=item_ids[:2], template_id=how_to["id"])
    assert made.status_code == 200, made.text
    content = wait_written(llm_stack, tenant, project_id, made.json()["id"])["content"]
    headings = [f"<h2>{name}</h2>" for name in how_to["structure"]["sections"]]
    assert all(h in content for h in headings), content
    assert [content.index(h) for h in headings] == sorted(content.index(h) for h in headings)


@pytest.fixture(scope="module")
def draft(llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]]) -> dict[str, Any]:
    """A post written from the first two products, for the tests that edit one."""
    project_id, item_ids = project
    response = create(llm_stack, tenant, project_id, post_type="how_to",
                      topic="pitching a tent in the wind", source_item_ids=item_ids[:2])
    assert response.status_code == 200, response.text
    return wait_written(llm_stack, tenant, project_id, response.json()["id"])


def post_path(project_id: str, post_id: str) -> str:
    return f"{posts_path(project_id)}/{post_id}"


def test_a_reviewers_edit_is_sanitised_and_kept_as_a_version(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]], draft: dict[str, Any]
) -> None:
    project_id, _ = project
    path = post_path(project_id, draft["id"])
    response = call(llm_stack, "PATCH", path, tenant.headers, {
        "content": '<p onclick="steal()">Pitch it low.<script>alert(1)</script></p>'
                   '<a href="javascript:alert(2)">x</a>',
        "title": "Pitching a tent in the wind, step by step", "status": "review",
        "seo_meta": {"title": "Pitching a tent", "description": "Low and tight.",
                     "focus_keyword": "pitching a tent"}})
    assert response.status_code == 200, response.text
    edited = response.json()
    assert edited["content"] == "<p>Pitch it low.</p><a>x</a>"
    assert edited["status"] == "review" and edited["title"].endswith("step by step")
    assert edited["slug"] == draft["slug"]
    versions = call(llm_stack, "GET", path + "/versions", tenant.headers).json()
    assert [(v["version"], v["source"]) for v in versions] == [(1, "generated"), (2, "edited")]
    assert versions[0]["content"] == draft["content"]
    unchanged = call(llm_stack, "PATCH", path, tenant.headers, {"status": "approved"})
    assert unchanged.status_code == 200, unchanged.text
    assert len(call(llm_stack, "GET", path + "/versions", tenant.headers).json()) == 2


def test_a_slug_is_unique_in_the_project_and_a_bad_one_is_refused_naming_it(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]], draft: dict[str, Any]
) -> None:
    project_id, item_ids = project
    other = create(llm_stack, tenant, project_id, topic="sleeping warm",
                   source_item_ids=item_ids[1:2]).json()
    other = wait_written(llm_stack, tenant, project_id, other["id"])
    taken = call(llm_stack, "PATCH", post_path(project_id, other["id"]), tenant.headers,
                 {"slug": draft["slug"]})
    assert taken.status_code == 409, taken.text
    assert "slug" in taken.json()["detail"]
    bad = call(llm_stack, "PATCH", post_path(project_id, other["id"]), tenant.headers,
               {"slug": "Not a slug!"})
    assert bad.status_code == 422 and "slug" in bad.json()["detail"]
    moved = call(llm_stack, "PATCH", post_path(project_id, other["id"]), tenant.headers,
                 {"slug": "sleeping-warm-in-a-tent"})
    assert moved.status_code == 200 and moved.json()["slug"] == "sleeping-warm-in-a-tent"
    publishing = call(llm_stack, "PATCH", post_path(project_id, other["id"]), tenant.headers,
                      {"status": "published"})
    assert publishing.status_code == 422 and "status" in publishing.json()["detail"]
    deleted = call(llm_stack, "DELETE", post_path(project_id, other["id"]), tenant.headers)
    assert deleted.status_code == 204, deleted.text
    assert call(llm_stack, "GET", post_path(project_id, other["id"]),
                tenant.headers).status_code == 404
    freed = call(llm_stack, "PATCH", post_path(project_id, draft["id"]), tenant.headers,
                 {"slug": "sleeping-warm-in-a-tent"})
    assert freed.status_code == 200, freed.text
    call(llm_stack, "PATCH", post_path(project_id, draft["id"]), tenant.headers,
         {"slug": draft["slug"]})


def test_regenerating_writes_anew_through_a_new_job_and_keeps_the_old_text_as_a_version(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]]
) -> None:
    project_id, item_ids = project
    first = create(llm_stack, tenant, project_id, post_type="comparison", topic="tents",
                   source_item_ids=item_ids).json()
    first = wait_written(llm_stack, tenant, project_id, first["id"])
    call(llm_stack, "PATCH", post_path(project_id, first["id"]), tenant.headers,
         {"content": "<p>My own words about tents.</p>"})
    response = call(llm_stack, "POST", post_path(project_id, first["id"]) + "/regenerate",
                    tenant.headers)
    assert response.status_code == 200, response.text
    queued = response.json()
    assert queued["status"] == "generating" and queued["job_id"] != first["job_id"]
    rewritten = wait_written(llm_stack, tenant, project_id, first["id"], queued["job_id"])
    assert rewritten["status"] == "draft" and "At a glance" in rewritten["content"]
    assert rewritten["slug"] == first["slug"]
    versions = call(llm_stack, "GET", post_path(project_id, first["id"]) + "/versions",
                    tenant.headers).json()
    assert [v["source"] for v in versions] == ["generated", "edited", "generated"]
    assert versions[1]["content"] == "<p>My own words about tents.</p>"


def test_the_list_filters_by_status_and_the_analytics_count_the_posts(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]], draft: dict[str, Any]
) -> None:
    project_id, _ = project
    everything = call(llm_stack, "GET", posts_path(project_id), tenant.headers).json()
    for status in ("draft", "review", "approved"):
        listed = call(llm_stack, "GET", posts_path(project_id), tenant.headers,
                      params={"status": status}).json()
        assert listed == [p for p in everything if p["status"] == status]
    assert {"id", "title", "status", "post_type", "topic", "wp_post_id"} <= set(everything[0])
    bad = call(llm_stack, "GET", posts_path(project_id), tenant.headers,
               params={"status": "lost"})
    assert bad.status_code == 400 and "status" in bad.json()["detail"]
    analytics = call(llm_stack, "GET", posts_path(project_id) + "/analytics", tenant.headers)
    assert analytics.status_code == 200, analytics.text
    found = analytics.json()
    assert found["total_posts"] == len(everything)
    assert sum(found["by_status"].values()) == len(everything)
    assert found["by_type"]["how_to"] == sum(p["post_type"] == "how_to" for p in everything)
    assert set(found["by_status"]) >= {"generating", "draft", "published", "scheduled"}
    assert found["published_per_month"] == [] and found["total_views"] is None


def test_the_seo_score_explains_each_check_for_the_keyword_asked(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]]
) -> None:
    project_id, item_ids = project
    made = create(llm_stack, tenant, project_id, topic="winter camping",
                  source_item_ids=item_ids).json()
    made = wait_written(llm_stack, tenant, project_id, made["id"])
    path = post_path(project_id, made["id"]) + "/seo-score"
    own = call(llm_stack, "GET", path, tenant.headers).json()
    assert own["focus_keyword"] == "winter camping" and 0 <= own["score"] <= 100
    assert len(own["checks"]) == 12 and own["score"] == sum(c["points"] for c in own["checks"])
    assert {c["id"] for c in own["checks"] if c["passed"]} >= {
        "keyword_in_title", "keyword_in_first_paragraph", "keyword_in_slug", "links"}
    assert own["recommendations"] == [c["recommendation"] for c in own["checks"]
                                      if not c["passed"]]
    other = call(llm_stack, "GET", path, tenant.headers,
                 params={"focus_keyword": "kayaks"}).json()
    assert other["score"] < own["score"]
    assert call(llm_stack, "GET", path, tenant.headers).json() == own


def test_another_organizations_posts_items_and_templates_are_not_found(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]], draft: dict[str, Any]
) -> None:
    project_id, item_ids = project
    stranger = new_tenant(llm_stack, "Stranger Shop")
    for method, tail in (("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/regenerate"),
                         ("GET", "/seo-score"), ("GET", "/versions")):
        response = call(llm_stack, method, post_path(project_id, draft["id"]) + tail,
                        stranger.headers, {} if method == "PATCH" else None)
        assert response.status_code == 404, (method, tail, response.text)
    own_project = new_project(llm_stack, stranger, "Elsewhere")["id"]
    foreign = create(llm_stack, stranger, own_project, source_item_ids=item_ids[:2])
    assert foreign.status_code == 404, foreign.text
    assert item_ids[0] in foreign.json()["detail"] and item_ids[1] in foreign.json()["detail"]
    template = call(llm_stack, "POST", "/blog-templates", tenant.headers,
                    {"name": "Ours", "tone": "friendly"}).json()
    theirs = create(llm_stack, stranger, own_project, template_id=template["id"])
    assert theirs.status_code == 404 and "template_id" in theirs.json()["detail"]
    assert create(llm_stack, stranger, project_id).status_code == 404
    assert call(llm_stack, "GET", posts_path(project_id) + "/analytics",
                stranger.headers).status_code == 404


def test_bad_input_is_answered_4xx_naming_the_field_and_writes_nothing(
    llm_stack: Stack, tenant: Tenant, project: tuple[str, list[str]]
) -> None:
    project_id, _ = project
    before = len(call(llm_stack, "GET", posts_path(project_id), tenant.headers).json())
    unknown = create(llm_stack, tenant, project_id, post_type="essay")
    assert unknown.status_code == 422, unknown.text
    assert "product_roundup, buying_guide, how_to, comparison, announcement" in unknown.json()[
        "detail"]
    cases = [
        ({"post_type": "how_to"}, 400, "topic"),
        ({"post_type": "how_to", "topic": "x", "wp_category_ids": ["one"]}, 400,
         "wp_category_ids"),
        ({"post_type": "how_to", "topic": "x", "source_item_ids": ["not-a-uuid"]}, 400,
         "source_item_ids"),
        ({"post_type": "how_to", "topic": "x", "ai_settings": {"ai_provider": "nope"}}, 422,
         "ai_provider"),
        ({"post_type": "how_to", "topic": "x", "ai_settings": {"length": "epic"}}, 422,
         "ai_settings.length"),
        ({"post_type": "how_to", "topic": "   "}, 422, "topic"),
        ({"post_type": "how_to", "topic": "x", "source_item_ids": [str(uuid4())]}, 404,
         "source_item_ids"),
    ]
    for body, status, field in cases:
        response = call(llm_stack, "POST", posts_path(project_id), tenant.headers, body)
        assert response.status_code == status, (body, response.text)
        assert field in response.text, (body, response.text)
    assert len(call(llm_stack, "GET", posts_path(project_id), tenant.headers).json()) == before
