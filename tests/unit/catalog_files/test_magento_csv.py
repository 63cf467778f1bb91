"""Magento 2 exports read as records, checked against a real export of Magento's sample data."""

from collections import Counter

from adapters.catalog_files import read_catalog
from tests.unit.catalog_files.catalog_helpers import by_id, read_bytes, read_fixture

REAL = "magento2-configurable-products-export.csv"


def test_the_real_export_links_every_configurable_to_its_children() -> None:
    records = read_fixture("magento2", REAL)
    ids = {r.external_id for r in records}

    assert Counter(r.item_type for r in records) == {"parent": 147, "variant": 1847}
    assert all(r.parent_external_id in ids for r in records if r.item_type == "variant")
    children = Counter(r.parent_external_id for r in records if r.parent_external_id)
    assert len(children) == 147 and sum(children.values()) == 1847
    assert children["MH01"] == 15


def test_a_real_configurable_product_reads_with_its_categories_images_and_variation_values() -> None:
    hoodie = by_id(read_fixture("magento2", REAL))["MH01"]
    data = hoodie.source_data

    assert (hoodie.name, hoodie.item_type, hoodie.line) == ("Chaz Kangeroo Hoodie", "parent", 32)
    assert data["categories"] == ["Default Category > Men > Tops > Hoodies & Sweatshirts",
                                  "Default Category > Collections > Eco Friendly", "Default Category"]
    assert data["images"] == ["/m/h/mh01-gray_main.jpg", "/m/h/mh01-gray_alt1.jpg", "/m/h/mh01-gray_back.jpg"]
    assert data["attributes"] == {"size_general": "XS, S, M, L, XL", "color": "Black, Gray, Orange"}
    assert data["description"].startswith("<p>Ideal for cold-weather training or work outdoors")
    assert "\n<p>&bull; Two-tone gray heather hoodie." in data["description"]
    assert data["price"] == "52"
    assert data["platform_fields"]["visibility"] == "Catalog, Search"


def test_a_real_child_reads_with_its_own_attributes_and_parent() -> None:
    child = by_id(read_fixture("magento2", REAL))["MH01-XS-Gray"]
    data = child.source_data

    assert (child.item_type, child.parent_external_id, child.line) == ("variant", "MH01", 4)
    assert data["attributes"] == {"size_general": "XS", "color": "Gray"}
    assert data["images"] == ["/m/h/mh01-gray_main.jpg", "/m/h/mh01-gray_alt1.jpg", "/m/h/mh01-gray_back.jpg"]
    assert (data["sku"], data["weight"]) == ("MH01-XS-Gray", "1")
    assert data["url_key"] == "chaz-kangeroo-hoodie-xs-gray"


HEADER = "sku,store_view_code,product_type,name,additional_attributes,configurable_variations\n"


def test_rows_of_other_store_views_are_ignored_and_a_simple_product_without_parent_stays_simple() -> None:
    data = (HEADER + "A-1,,simple,Lamp,\"manufacturer=Luma,activity=Yoga\",\n"
            "A-1,fr,,Lampe,,\n"
            "B-1,,virtual,Gift,,\n").encode()

    records = read_bytes("magento2", data)

    assert [(r.external_id, r.item_type, r.name, r.line) for r in records] == [
        ("A-1", "simple", "Lamp", 2), ("B-1", "simple", "Gift", 4)]
    assert records[0].source_data["brand"] == "Luma"
    assert records[0].source_data["attributes"] == {"manufacturer": "Luma", "activity": "Yoga"}


def test_children_read_from_a_stream_that_cannot_seek_still_find_their_parent() -> None:
    class Pipe:
        def __init__(self, data: bytes) -> None:
            self._data = data

        def seekable(self) -> bool:
            return False

        def read(self, size: int = -1) -> bytes:
            chunk, self._data = self._data[:size], self._data[size:]
            return chunk

    data = (HEADER + 'K-S,,simple,Kit S,size=S,\nK,,configurable,Kit,,"sku=K-S,size=S"\n').encode()

    records = list(read_catalog("magento2", Pipe(data)))  # type: ignore[arg-type]

    assert [(r.external_id, r.parent_external_id) for r in records] == [("K-S", "K"), ("K", None)]
