"""The Unsplash and Pexels clients against the local fake in the providers' HTTP shapes:
each provider's auth header, the credit each requires, Unsplash's download ping, a refused
key told apart from an unavailable provider, and a search across both interleaved by page
with a failing provider left out."""

from collections.abc import Iterator

import pytest

from adapters.stock_photos.pexels import PexelsClient
from adapters.stock_photos.photos import StockProviderError
from adapters.stock_photos.search import StockClient, search_all
from adapters.stock_photos.unsplash import UnsplashClient
from tests.fakes.stock_photo_server import FakeStockPhotos, running_fake_stock_photos


@pytest.fixture
def fake() -> Iterator[FakeStockPhotos]:
    with running_fake_stock_photos() as stock:
        stock.unsplash_keys.add("us-key")
        stock.pexels_keys.add("px-key")
        yield stock


async def test_unsplash_is_searched_with_client_id_and_credited(fake: FakeStockPhotos) -> None:
    client = UnsplashClient("us-key", fake.base_url, 5)
    page = await client.search("linen", page=2, per_page=5, orientation="square")
    assert page.total == 42 and len(page.photos) == 5
    provider, path, query, auth = fake.requests[-1]
    assert (provider, path, auth) == ("unsplash", "/search/photos", "Client-ID us-key")
    assert query["orientation"] == ["squarish"] and query["page"] == ["2"]
    photo = page.photos[0]
    assert photo.provider_id == "us0005Xy" and photo.photographer == "Una Splash 5"
    assert photo.attribution == "Photo by Una Splash 5 on Unsplash"
    assert "utm_source=copydesk&utm_medium=referral" in photo.photographer_url
    assert "utm_medium=referral" in photo.attribution_html and photo.src["medium"]
    assert photo.number == page.photos[0].number and photo.number < 2 ** 53
    assert client.owns(photo.download_location)
    await client.track_download(photo.download_location)
    assert fake.downloads == ["us0005Xy"]


async def test_pexels_is_searched_with_its_key_and_credited(fake: FakeStockPhotos) -> None:
    page = await PexelsClient("px-key", fake.base_url, 5).search(
        "linen", page=1, per_page=3, orientation="portrait")
    assert [p.number for p in page.photos] == [100000, 100001, 100002]
    assert fake.requests[-1][3] == "px-key" and fake.requests[-1][2]["orientation"] == ["portrait"]
    assert page.photos[0].attribution == "Photo by Pex Els 0 on Pexels"
    assert page.photos[0].src["original"].endswith(".jpg")


async def test_a_refused_key_is_told_apart_from_a_failing_provider(
    fake: FakeStockPhotos,
) -> None:
    with pytest.raises(StockProviderError) as refused:
        await PexelsClient("wrong", fake.base_url, 5).search("x", page=1, per_page=1,
                                                             orientation=None)
    assert refused.value.refused
    fake.failing.add("unsplash")
    with pytest.raises(StockProviderError) as failing:
        await UnsplashClient("us-key", fake.base_url, 5).search("x", page=1, per_page=1,
                                                                orientation=None)
    assert not failing.value.refused


async def test_a_search_across_providers_interleaves_and_survives_one_failing(
    fake: FakeStockPhotos,
) -> None:
    clients: dict[str, StockClient] = {
        "unsplash": UnsplashClient("us-key", fake.base_url, 5),
        "pexels": PexelsClient("px-key", fake.base_url, 5)}
    merged = await search_all(clients, "linen", page=1, per_page=6, orientation=None)
    assert merged.total == 84 and merged.failed == {}
    assert [p.provider for p in merged.photos] == ["unsplash", "pexels"] * 3
    fake.failing.add("pexels")
    partial = await search_all(clients, "linen", page=1, per_page=6, orientation=None)
    assert {p.provider for p in partial.photos} == {"unsplash"} and "pexels" in partial.failed
    fake.failing.add("unsplash")
    with pytest.raises(StockProviderError):
        await search_all(clients, "linen", page=1, per_page=6, orientation=None)
