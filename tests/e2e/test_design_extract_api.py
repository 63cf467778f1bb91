"""Design tokens suggested from a picture over real HTTP (`/api/ai-pages/design-system/extract/`):
the offline reading of a real PNG's dominant colours, Claude's view of it through the
Anthropic SDK against the fake server (the picture sent as an image block), nothing saved,
and refused URLs and files that are not pictures."""

import base64
import dataclasses
import io
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image

from adapters.embedded import EmbeddedServers
from tests.e2e.generation_steps import read_events
from tests.e2e.helpers import Tenant, new_tenant
from tests.fakes.image_server import serving_files
from tests.fakes.llm_server import FakeLLM
from tests.support import Stack, own_stack

CREAM, RED, BLUE = (250, 246, 238), (190, 30, 45), (20, 70, 160)


def brand_picture(file_format: str = "PNG") -> bytes:
    """Mostly cream, a red band and a blue square: what a brand's banner might be."""
    image = Image.new("RGB", (300, 200), CREAM)
    image.paste(RED, (0, 0, 300, 50))
    image.paste(BLUE, (200, 120, 260, 180))
    out = io.BytesIO()
    image.save(out, file_format)
    return out.getvalue()


@pytest.fixture(scope="module")
def pictures() -> Iterator[str]:
    with serving_files({"/banner.png": (brand_picture(), "image/png"),
                        "/banner.jpg": (brand_picture("JPEG"), "application/octet-stream"),
                        "/fake.png": (b"<html>not a picture</html>", "image/png")}) as url:
        yield url


def extract(stack: Stack, tenant: Tenant, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{stack.base_url}/api/ai-pages/design-system/extract/",
                      headers=tenant.headers, json=body, timeout=30)


def events_of(stack: Stack, tenant: Tenant, body: dict[str, Any]) -> list[tuple[str, Any]]:
    with httpx.stream("POST", f"{stack.base_url}/api/ai-pages/design-system/extract/",
                      headers=tenant.headers, json=body, timeout=30) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        return read_events(response)


def near(hex_colour: str, rgb: tuple[int, int, int], within: int = 24) -> bool:
    value = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - b) <= within for a, b in zip(value, rgb, strict=True))


def test_the_offline_reading_finds_the_pictures_colours_and_saves_nothing(
    stack: Stack, pictures: str,
) -> None:
    shop = new_tenant(stack, "Extract Offline")
    for path in ("/banner.png", "/banner.jpg"):
        events = events_of(stack, shop, {"image_url": pictures + path, "provider": "offline"})
        names = [name for name, _ in events]
        assert names[0] == "colours" and names[-1] == "done" and "error" not in names
        shares = [c["share"] for c in events[0][1]["colours"]]
        assert shares == sorted(shares, reverse=True) and 0.99 <= sum(shares) <= 1.01
        done = events[-1][1]
        assert near(done["suggestions"]["background_color"], CREAM), done
        assert done["suggestions"]["text_color"] == "#111827", "dark text on a light picture"
        assert near(done["suggestions"]["primary_color"], RED), done
        assert near(done["suggestions"]["secondary_color"], BLUE), done
        assert set(done["sources"].values()) == {"image"}
        assert "heading_font" not in done["suggestions"], "fonts cannot be read from colours"
    design = httpx.get(f"{stack.base_url}/api/ai-pages/design-system/", headers=shop.headers,
                       timeout=30).json()
    assert design["is_default"] is True, "suggestions are not saved"


@pytest.mark.parametrize(("url", "says"), [
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://10.1.2.3/logo.png", "private"),
    ("file:///etc/passwd", "http"),
])
def test_urls_inside_our_network_are_refused(stack: Stack, url: str, says: str) -> None:
    shop = new_tenant(stack, "Extract Refused " + says)
    refused = extract(stack, shop, {"image_url": url, "provider": "offline"})
    assert refused.status_code == 422, refused.text
    assert "image_url" in refused.json()["detail"] and says in refused.json()["detail"]


def test_a_file_that_is_not_a_picture_and_bad_bodies_are_refused(
    stack: Stack, pictures: str,
) -> None:
    shop = new_tenant(stack, "Extract Bad Input")
    fake = extract(stack, shop, {"image_url": pictures + "/fake.png", "provider": "offline"})
    assert fake.status_code == 422 and "image" in fake.json()["detail"], fake.text
    missing = extract(stack, shop, {"image_url": pictures + "/gone.png", "provider": "offline"})
    assert missing.status_code == 422 and "404" in missing.json()["detail"], missing.text
    assert extract(stack, shop, {"image_url": pictures + "/banner.png",
                                 "provider": "magic"}).status_code == 400
    assert extract(stack, shop, {}).status_code == 400
    no_key = extract(stack, shop, {"image_url": pictures + "/banner.png",
                                   "provider": "anthropic"})
    assert no_key.status_code == 422 and "Anthropic" in no_key.json()["detail"]


@pytest.fixture(scope="module")
def vision_stack(servers: EmbeddedServers, llm_server: FakeLLM,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with own_stack(servers.database_url, tmp_path_factory.mktemp("vision-stack"), worker=False,
                   feeds_allow_loopback=True, anthropic_base_url=llm_server.anthropic_base_url,
                   anthropic_api_key="platform-anthropic-vision-key",
                   llm_timeout_seconds=5.0) as stack:
        yield stack


def test_claude_sees_the_picture_and_its_checked_tokens_win(
    vision_stack: Stack, fake_llm: FakeLLM, pictures: str,
) -> None:
    shop = new_tenant(vision_stack, "Extract Vision")
    fake_llm.answer = json.dumps({
        "primary_color": "#be1e2d", "heading_font": "Playfair Display", "body_font": "Inter",
        "text_color": "not a colour", "custom_css": "body{}", "border_radius": "4px"})
    events = events_of(vision_stack, shop, {"image_url": pictures + "/banner.png"})
    claude = {data["name"]: data["value"] for name, data in events
              if name == "suggestion" and data["source"] == "claude"}
    assert claude == {"primary_color": "#BE1E2D", "heading_font": "Playfair Display",
                      "body_font": "Inter", "border_radius": "4px"}, "invalid tokens left out"
    done = events[-1][1]
    assert done["sources"]["primary_color"] == "claude"
    assert done["sources"]["background_color"] == "image"
    sent = fake_llm.last_request
    assert sent.api == "anthropic" and sent.api_key == "platform-anthropic-vision-key"
    [image] = [part for part in sent.body["messages"][0]["content"] if part["type"] == "image"]
    assert image["source"]["media_type"] == "image/png"
    assert base64.b64decode(image["source"]["data"]) == brand_picture()


def test_a_failing_claude_is_an_error_event_and_the_colours_still_stand(
    vision_stack: Stack, fake_llm: FakeLLM, pictures: str,
) -> None:
    shop = new_tenant(vision_stack, "Extract Vision Down")
    fake_llm.fail("401", "401")
    events = events_of(vision_stack, shop, {"image_url": pictures + "/banner.png"})
    errors = [data for name, data in events if name == "error"]
    assert len(errors) == 1 and "401" in errors[0]["detail"]
    assert "platform-anthropic-vision-key" not in json.dumps(events)
    assert near(events[-1][1]["suggestions"]["primary_color"], RED)


@pytest.fixture(scope="module")
def guarded_stack(servers: EmbeddedServers,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack that, as in production, may not fetch loopback addresses."""
    with own_stack(servers.database_url, tmp_path_factory.mktemp("guarded-stack"),
                   worker=False) as stack:
        assert not dataclasses.asdict(stack.settings)["feeds_allow_loopback"]
        yield stack


def test_a_loopback_url_is_refused_where_loopback_is_not_allowed(
    guarded_stack: Stack, pictures: str,
) -> None:
    shop = new_tenant(guarded_stack, "Extract Loopback")
    refused = extract(guarded_stack, shop, {"image_url": pictures + "/banner.png",
                                            "provider": "offline"})
    assert refused.status_code == 422 and "loopback" in refused.json()["detail"], refused.text
