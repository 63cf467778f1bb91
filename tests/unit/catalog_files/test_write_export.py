"""Generated copy written back into the store's own file: only the receiving fields change, every
other byte stays, and reading the result gives the same products with the new copy."""

import csv
import dataclasses
import io
from collections.abc import Mapping

import pytest

from adapters.catalog_files import write_export
from domain.catalog.records import ProductRecord
from domain.errors import InvalidCommandError
from tests.unit.catalog_files.catalog_helpers import fixture_bytes, read_bytes

Generated = Mapping[str, Mapping[str, str]]


def export(platform: str, original: bytes, generated: Generated,
           filename: str = "catalog.csv") -> tuple[int, bytes]:
    out = io.BytesIO()
    count = write_export(platform, io.BytesIO(original), out, filename=filename, generated=generated)
    return count, out.getvalue()


def raw_records(data: bytes, encoding: str = "utf-8") -> list[str]:
    """Each CSV record's text exactly as written (line ending included)."""
    lines = data.decode(encoding).splitlines(keepends=True)
    reader = csv.reader(iter(lines))
    records, done = [], 0
    for _row in reader:
        records.append("".join(lines[done:reader.line_num]))
        done = reader.line_num
    return records


def without_lines(records: list[ProductRecord]) -> dict[str, ProductRecord]:
    return {r.external_id: dataclasses.replace(r, line=0) for r in records}


def changed(record: ProductRecord, name: str | None = None, **fields: str) -> ProductRecord:
    data = {**record.source_data, **fields}
    if name is not None:
        data["name"] = name
    return dataclasses.replace(record, name=record.name if name is None else name, source_data=data, line=0)


def test_shopify_copy_goes_to_the_product_s_first_row_and_nothing_else_moves() -> None:
    original = fixture_bytes("shopify-products-export.csv")
    body = '<p>New "body", with commas</p>\n<p>Two</p>'
    generated = {"organic-cotton-hoodie": {"name": "Hoodie, Organic", "long_description": body,
                                           "meta_title": "Organic hoodie", "meta_description": ""},
                 "NW-HOOD-M-FOR": {"name": "a variant has no copy columns"},
                 "leather-weekender-bag": {"long_description": "<p>Tan leather.</p>"},
                 "not-in-the-file": {"name": "ignored"}}

    count, result = export("shopify", original, generated)

    assert count == 2
    before, after = raw_records(original), raw_records(result)
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [1, 10]
    old_body = before[1].split(',"', 1)[1].split('",', 1)[0]
    assert after[1] == (before[1].replace("Organic Cotton Hoodie,", '"Hoodie, Organic",', 1)
                        .replace(old_body, body.replace('"', '""'), 1)
                        .replace("Organic Cotton Hoodie | Northwind", "Organic hoodie", 1))
    assert after[10] == before[10].replace("Bag,,", "Bag,<p>Tan leather.</p>,")
    old, new = without_lines(read_bytes("shopify", original)), without_lines(read_bytes("shopify", result))
    assert new["organic-cotton-hoodie"] == changed(old["organic-cotton-hoodie"], name="Hoodie, Organic",
                                                   description=body, meta_title="Organic hoodie")
    assert new["NW-HOOD-M-SND"].name == "Hoodie, Organic - M / Sand"
    bag = "leather-weekender-bag"
    assert new[bag] == changed(old[bag], description="<p>Tan leather.</p>")
    assert new["ceramic-pour-over-set"] == old["ceramic-pour-over-set"]


def test_woocommerce_copy_goes_to_products_and_variations_and_the_bom_stays() -> None:
    original = fixture_bytes("woocommerce-products-export.csv")
    generated = {"WOO-HOODIE": {"name": "Fleece Hoodie", "short_description": "<p>Warm, soft.</p>",
                                "long_description": "<p>Long.</p>", "meta_title": "no such column here"},
                 "id:103": {"name": "Hoodie in green, M"}}

    count, result = export("woocommerce", original, generated)

    assert count == 2
    assert result.startswith(b"\xef\xbb\xbfID,Type,SKU,")
    before, after = raw_records(original, "utf-8-sig"), raw_records(result, "utf-8-sig")
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [1, 3]
    assert after[3] == before[3].replace('"Hoodie - Green, Medium"', '"Hoodie in green, M"')
    assert after[1].startswith('101,variable,WOO-HOODIE,,Fleece Hoodie,1,0,visible,"<p>Warm, soft.</p>",'
                               '"<p>Long.</p>",,,taxable,')
    assert after[1].endswith(before[1].split('</ul>"', 1)[1])
    old = without_lines(read_bytes("woocommerce", original))
    new = without_lines(read_bytes("woocommerce", result))
    assert new["WOO-HOODIE"] == changed(old["WOO-HOODIE"], name="Fleece Hoodie",
                                        short_description="<p>Warm, soft.</p>", description="<p>Long.</p>")
    assert new["id:103"] == changed(old["id:103"], name="Hoodie in green, M")


def test_the_real_magento_export_takes_copy_on_default_rows_and_reimports_whole() -> None:
    original = fixture_bytes("magento2-configurable-products-export.csv")
    generated = {"MH01": {"name": "Chaz Hoodie", "meta_title": "Chaz Kangeroo Hoodie | Luma",
                          "meta_description": "Warm, wind-blocking training hoodie."},
                 "MH01-XS-Black": {"short_description": "<p>XS, black.</p>"}}

    count, result = export("magento2", original, generated)

    assert count == 2
    before, after = raw_records(original), raw_records(result)
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [1, 16]
    old, new = without_lines(read_bytes("magento2", original)), without_lines(read_bytes("magento2", result))
    assert len(new) == 1994 and sum(1 for r in new.values() if r.parent_external_id == "MH01") == 15
    assert new["MH01"] == changed(old["MH01"], name="Chaz Hoodie", meta_title="Chaz Kangeroo Hoodie | Luma",
                                  meta_description="Warm, wind-blocking training hoodie.")
    assert new["MH01-XS-Black"] == changed(old["MH01-XS-Black"], short_description="<p>XS, black.</p>")
    assert {k: v for k, v in new.items() if k not in generated} == {
        k: v for k, v in old.items() if k not in generated}


def test_a_cp1252_crlf_file_stays_cp1252_crlf_and_unencodable_copy_degrades_visibly() -> None:
    original = ("sku,product_type,name,description\r\n"
                "S-1,simple,Caf\u00e9,\"<p>Old</p>\r\n<p>two</p>\"\r\n"
                "S-2,simple,Th\u00e9,\r\n").encode("cp1252")
    generated = {"S-1": {"name": "Caf\u00e9 cr\u00e8me 5\u20ac \u2713",
                         "long_description": "<p>Tr\u00e8s bon \u2615</p>"}}

    count, result = export("magento2", original, generated)

    assert count == 1
    assert result == ("sku,product_type,name,description\r\n"
                      "S-1,simple,Caf\u00e9 cr\u00e8me 5\u20ac ?,\"<p>Tr\u00e8s bon &#9749;</p>\"\r\n"
                      "S-2,simple,Th\u00e9,\r\n").encode("cp1252")


def test_an_empty_text_leaves_the_original_and_nothing_to_write_copies_the_file() -> None:
    original = fixture_bytes("woocommerce-products-export.csv")

    empty = {"WOO-BEANIE": {"name": "", "long_description": ""}}
    assert export("woocommerce", original, empty) == (0, original)
    assert export("woocommerce", original, {}) == (0, original)


XML_CASES = [
    ("shopify", "shopify-products.xml", {"linen-camp-shirt": {"meta_title": "Linen shirt"},
                                         "enamel-camp-mug": {"meta_title": "Mug & more",
                                                             "meta_description": "Speckled <enamel>."}}),
    ("magento2", "magento2-products.xml", {"WJ01": {"name": "Solar Jacket",
                                                    "long_description": "<p>New ]]> body</p>",
                                                    "meta_description": "Added"},
                                           "24-UG01": {"short_description": "<p>Band</p>"}}),
    ("woocommerce", "woocommerce-products.xml", {"WOO-TEE": {"name": "Tee",
                                                             "short_description": "<p>S</p>"}}),
    ("woocommerce", "woocommerce-wxr.xml", {"woo-hoodie-with-logo": {"name": "Logo Hoodie",
                                                                     "long_description": "<p>Fleece.</p>",
                                                                     "short_description": "<p>Best.</p>"}}),
]
FIELDS = {"name": "name", "long_description": "description", "short_description": "short_description",
          "meta_title": "meta_title", "meta_description": "meta_description"}


@pytest.mark.parametrize(("platform", "name", "generated"), XML_CASES, ids=[c[1] for c in XML_CASES])
def test_xml_round_trips_with_the_new_copy(platform: str, name: str, generated: Generated) -> None:
    original = fixture_bytes(name)

    count, result = export(platform, original, generated, filename=name)

    assert count == len(generated)
    old = without_lines(read_bytes(platform, original, filename=name))
    new = without_lines(read_bytes(platform, result, filename=name))
    for key, record in old.items():
        texts = {FIELDS[f]: v for f, v in generated.get(key, {}).items() if v}
        if key in generated:
            assert new[key].source_data == {**record.source_data, **texts}
        elif record.parent_external_id not in generated:
            assert new[key] == record


def test_xml_bytes_change_only_inside_the_receiving_elements() -> None:
    original = fixture_bytes("woocommerce-wxr.xml")

    _count, result = export("woocommerce", original, XML_CASES[3][2], filename="products.xml")

    assert result == (original
                      .replace(b"<title><![CDATA[Hoodie with Logo]]></title>",
                               b"<title><![CDATA[Logo Hoodie]]></title>")
                      .replace(b"<![CDATA[<p>Brushed fleece hoodie with an embroidered logo.</p>\n"
                               b"<p>Unisex fit.</p>]]>", b"<![CDATA[<p>Fleece.</p>]]>")
                      .replace(b"<![CDATA[<p>Our best-selling hoodie.</p>]]>", b"<![CDATA[<p>Best.</p>]]>"))


def test_a_missing_xml_element_is_added_and_an_empty_one_filled() -> None:
    original = fixture_bytes("shopify-products.xml")

    _count, result = export("shopify", original, XML_CASES[0][2], filename="products.xml")

    assert b"    <seo_title>Mug &amp; more</seo_title>\n" in result
    assert b"    <seo_description>Speckled &lt;enamel&gt;.</seo_description>\n  </product>\n</products>" \
        in result


def test_an_unknown_platform_is_refused_for_export() -> None:
    with pytest.raises(InvalidCommandError):
        export("bigcommerce", b"sku\n", {})
