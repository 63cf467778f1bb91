"""Generated copy as a plain CSV and as a Magento import file, for products not from a file."""

import csv
import io

from adapters.catalog_files import write_canonical_csv, write_magento_csv
from domain.catalog.records import ProductRecord
from domain.generation.settings import GeneratedTexts

PARENT = ProductRecord(external_id="MH01", item_type="parent", parent_external_id=None, name="Chaz Hoodie",
                       source_data={"sku": "MH01", "url_key": "chaz-hoodie",
                                    "platform_fields": {"product_type": "configurable"}}, line=3)
CHILD = ProductRecord(external_id="MH01-S", item_type="variant", parent_external_id="MH01", name="Chaz S",
                      source_data={"sku": "MH01-S", "platform_fields": {"product_type": "virtual"}}, line=2)
TEXTS = GeneratedTexts(name="Chaz Kangaroo Hoodie", short_description="<p>Warm, \"light\".</p>",
                       long_description="<p>One</p>\n<p>Two</p>", meta_title="Chaz | Luma",
                       meta_description="Warm.")


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_canonical_csv_has_one_row_per_item_with_its_copy_and_status() -> None:
    out = io.BytesIO()

    count = write_canonical_csv([(PARENT, TEXTS, "approved"), (CHILD, {"meta_title": "S"}, "pending")], out)

    assert count == 2
    assert out.getvalue().startswith(b"\xef\xbb\xbfexternal_id,item_type,parent,name,sku,")
    assert rows(out.getvalue()) == [
        ["external_id", "item_type", "parent", "name", "sku", "generated_name", "short_description",
         "long_description", "meta_title", "meta_description", "status"],
        ["MH01", "parent", "", "Chaz Hoodie", "MH01", "Chaz Kangaroo Hoodie", '<p>Warm, "light".</p>',
         "<p>One</p>\n<p>Two</p>", "Chaz | Luma", "Warm.", "approved"],
        ["MH01-S", "variant", "MH01", "Chaz S", "MH01-S", "", "", "", "S", "", "pending"],
    ]


def test_the_magento_flavour_uses_magento_s_column_names_and_product_types() -> None:
    out = io.BytesIO()

    count = write_magento_csv([(PARENT, TEXTS, "approved"), (CHILD, GeneratedTexts(), "pending")], out)

    assert count == 2
    assert rows(out.getvalue()) == [
        ["sku", "name", "description", "short_description", "meta_title", "meta_description", "url_key",
         "product_type"],
        ["MH01", "Chaz Kangaroo Hoodie", "<p>One</p>\n<p>Two</p>", '<p>Warm, "light".</p>', "Chaz | Luma",
         "Warm.", "chaz-hoodie", "configurable"],
        ["MH01-S", "", "", "", "", "", "", "virtual"],
    ]


def test_many_items_are_written_in_chunks_without_losing_any() -> None:
    out = io.BytesIO()
    items = [(CHILD, TEXTS, "approved")] * 1234

    assert write_canonical_csv(items, out) == 1234
    assert len(rows(out.getvalue())) == 1235
