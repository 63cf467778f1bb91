"""The WordPress posts and media client against the local fake WordPress: posts are created
marked with their copydesk id and updated in place, an earlier attempt's post is found by its
marker, its slug or a search (never another post of the same slug), media go up as raw bytes
named in Content-Disposition, a site that is down, refuses or loses its answer says so, and
calls share a pooled client per site name and event loop."""

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from adapters.blog import wordpress
from adapters.blog.wordpress import (
    Site,
    WordPressAuthError,
    WordPressNotFoundError,
    WordPressUnavailableError,
)
from adapters.blog.wordpress_posts import (
    META_KEY,
    PostFields,
    create_post,
    find_post,
    set_status,
    update_post,
    upload_media,
)
from adapters.outbound_urls import OutboundPolicy
from tests.fakes.wordpress_server import FakeUser, FakeWordPress, running_fake_wordpress

LOCAL = OutboundPolicy(allow_loopback=True, timeout_seconds=5.0)
PASSWORD = "abcd efgh ijkl mnop"


@pytest.fixture
def wp() -> Iterator[FakeWordPress]:
    with running_fake_wordpress() as fake:
        fake.users["editor"] = FakeUser(password=PASSWORD)
        yield fake


def site(wp: FakeWordPress, password: str = PASSWORD) -> Site:
    return Site(url=wp.url, username="editor", password=password)


def fields(copydesk_id: str = "p-1", **changes: object) -> PostFields:
    base: dict[str, object] = {"copydesk_id": copydesk_id, "title": "Winter boots",
                               "content": "<p>Warm.</p>", "excerpt": "Warm", "slug": "winter-boots",
                               "status": "publish", "categories": (3,)}
    return PostFields(**{**base, **changes})  # type: ignore[arg-type]


def test_a_post_is_created_then_updated_in_place_and_set_to_draft(wp: FakeWordPress) -> None:
    wp.registered_meta.add(META_KEY)
    made = asyncio.run(create_post(site(wp), fields(), LOCAL))
    assert (made.status, made.slug, made.link) == ("publish", "winter-boots",
                                                   f"{wp.url}/winter-boots/")
    assert wp.posts[made.id]["meta"] == {META_KEY: "p-1"}
    assert wp.posts[made.id]["categories"] == [3]
    again = asyncio.run(update_post(site(wp), made.id, fields(title="Winter boots, again"), LOCAL))
    assert again.id == made.id and len(wp.posts) == 1
    assert wp.posts[made.id]["title"] == "Winter boots, again"
    draft = asyncio.run(set_status(site(wp), made.id, "draft", LOCAL))
    assert draft.status == "draft" and wp.posts[made.id]["status"] == "draft"


def test_an_earlier_post_is_found_by_its_marker_when_the_site_shows_it(wp: FakeWordPress) -> None:
    wp.registered_meta.add(META_KEY)
    other = asyncio.run(create_post(site(wp), fields("p-other"), LOCAL))
    mine = asyncio.run(create_post(site(wp), fields("p-1"), LOCAL))
    assert wp.posts[mine.id]["slug"] == "winter-boots-2"  # the slug was taken
    found = asyncio.run(find_post(site(wp), fields("p-1"), LOCAL))
    assert found is not None and found.id == mine.id != other.id
    lookups = [c.query for c in wp.calls if c.method == "GET"]
    assert lookups[0] == {"slug": "winter-boots", "status": "any", "context": "edit",
                          "per_page": "20"}


def test_without_the_marker_shown_the_slug_and_title_find_a_draft(wp: FakeWordPress) -> None:
    made = asyncio.run(create_post(site(wp), fields(status="draft"), LOCAL))
    assert wp.posts[made.id]["meta"] == {}  # not registered: WordPress drops it
    found = asyncio.run(find_post(site(wp), fields(), LOCAL))
    assert found is not None and found.id == made.id


def test_another_post_with_our_slug_is_not_taken_for_ours(wp: FakeWordPress) -> None:
    asyncio.run(create_post(site(wp), fields("someone", title="Summer sandals"), LOCAL))
    assert asyncio.run(find_post(site(wp), fields(), LOCAL)) is None


def test_media_go_up_as_raw_bytes_named_in_content_disposition(wp: FakeWordPress) -> None:
    media_id = asyncio.run(upload_media(site(wp), "boots photo.jpg", "image/jpeg",
                                        b"\xff\xd8jpeg-bytes", LOCAL))
    item = wp.media[media_id]
    assert item["data"] == b"\xff\xd8jpeg-bytes" and item["mime_type"] == "image/jpeg"
    assert item["source_url"].endswith("/boots-photo.jpg")


def test_a_refused_password_is_an_auth_error_with_wordpress_reason(wp: FakeWordPress) -> None:
    with pytest.raises(WordPressAuthError, match="invalid application password"):
        asyncio.run(create_post(site(wp, "wrong"), fields(), LOCAL))
    wp.revoked = True
    with pytest.raises(WordPressAuthError, match="incorrect_password"):
        asyncio.run(find_post(site(wp), fields(), LOCAL))
    assert wp.posts == {}


def test_a_site_that_is_down_or_answers_503_is_unavailable(wp: FakeWordPress) -> None:
    wp.unavailable = True
    with pytest.raises(WordPressUnavailableError, match="503"):
        asyncio.run(create_post(site(wp), fields(), LOCAL))
    wp.unavailable = False
    wp.go_down()
    with pytest.raises(WordPressUnavailableError, match="could not be reached"):
        asyncio.run(create_post(site(wp), fields(), LOCAL))
    wp.come_back()
    assert asyncio.run(create_post(site(wp), fields(), LOCAL)).id in wp.posts


def test_a_lost_answer_leaves_a_post_that_the_lookup_finds(wp: FakeWordPress) -> None:
    wp.drop_answer_after_create = 1
    with pytest.raises(WordPressUnavailableError):
        asyncio.run(create_post(site(wp), fields(), LOCAL))
    [made] = wp.posts
    found = asyncio.run(find_post(site(wp), fields(), LOCAL))
    assert found is not None and found.id == made


def test_updating_a_post_the_site_no_longer_has_is_not_found(wp: FakeWordPress) -> None:
    with pytest.raises(WordPressNotFoundError, match="404"):
        asyncio.run(update_post(site(wp), 999, fields(), LOCAL))


def test_calls_share_a_pooled_client_per_site_name_and_event_loop(wp: FakeWordPress) -> None:
    async def made_together() -> tuple[list[int], list[httpx.AsyncClient]]:
        made = await asyncio.gather(*(create_post(
            site(wp), fields(f"p-{n}", slug=f"boots-{n}"), LOCAL) for n in range(6)))
        named = [httpx.URL(wp.url), httpx.URL(wp.url + "/other"),
                 httpx.URL(wp.url.replace("127.0.0.1", "localhost"))]
        return [m.id for m in made], [wordpress._client(url) for url in named]

    ids, (first, same_site, other_name) = asyncio.run(made_together())
    assert sorted(ids) == sorted(wp.posts) and len(set(ids)) == 6
    assert first is same_site and other_name is not first  # a name's connections are its own
    _, (next_loops, *_) = asyncio.run(made_together())
    assert next_loops is not first
