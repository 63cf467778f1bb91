"""Shopify product CSV exports read as records: products grouped by handle, variants, images."""

from tests.unit.catalog_files.catalog_helpers import by_id, read_fixture, summary

CDN = "https://cdn.shopify.com/s/files/1/0533/2089/files/"
HOODIE = "organic-cotton-hoodie"


def test_each_product_and_variant_becomes_a_record_in_file_order_with_its_line() -> None:
    records = read_fixture("shopify", "shopify-products-export.csv")

    assert [summary(r) for r in records] == [
        ("organic-cotton-hoodie", "parent", None, "Organic Cotton Hoodie", 2),
        ("NW-HOOD-S-FOR", "variant", HOODIE, "Organic Cotton Hoodie - S / Forest", 2),
        ("NW-HOOD-M-FOR", "variant", HOODIE, "Organic Cotton Hoodie - M / Forest", 8),
        ("organic-cotton-hoodie:3", "variant", HOODIE, "Organic Cotton Hoodie - L / Forest", 9),
        ("NW-HOOD-M-SND", "variant", HOODIE, "Organic Cotton Hoodie - M / Sand", 10),
        ("ceramic-pour-over-set", "simple", None, "Ceramic Pour-Over Set", 12),
        ("gift-card", "parent", None, "Gift Card", 18),
        ("gift-card:1", "variant", "gift-card", "Gift Card - $25", 18),
        ("gift-card:2", "variant", "gift-card", "Gift Card - $50", 19),
        ("leather-weekender-bag", "simple", None, "Leather Weekender Bag", 20),
    ]


def test_a_product_carries_its_first_row_and_every_image_of_its_rows() -> None:
    hoodie = by_id(read_fixture("shopify", "shopify-products-export.csv"))["organic-cotton-hoodie"]
    data = hoodie.source_data

    assert data["description"].startswith("<p>Our heaviest hoodie yet: 400 g/m² brushed")
    assert '<li>Ribbed cuffs &amp; hem</li>\n</ul>\n<p>Fits true to size; size up for a "relaxed" look.</p>' \
        in data["description"]
    assert data["brand"] == "Northwind Apparel"
    assert data["categories"] == ["Apparel & Accessories > Clothing > Activewear > Hoodies & Sweatshirts"]
    assert data["images"] == [CDN + "hoodie-forest-front.jpg", CDN + "hoodie-forest-back.jpg",
                              CDN + "hoodie-sand-front.jpg", CDN + "hoodie-detail-cuff.jpg"]
    assert data["attributes"] == {"Size": "S, M, L", "Color": "Forest, Sand"}
    assert (data["url_key"], data["meta_title"], data["meta_description"]) == (
        "organic-cotton-hoodie", "Organic Cotton Hoodie | Northwind",
        "A heavyweight organic cotton hoodie, garment-dyed.")
    assert data["platform_fields"]["Tags"] == "cotton, organic, winter"
    assert data["platform_fields"]["Status"] == "active"
    assert "Variant Inventory Qty" not in data["platform_fields"]


def test_a_variant_carries_its_own_options_price_weight_and_image() -> None:
    records = by_id(read_fixture("shopify", "shopify-products-export.csv"))
    sand, unnamed = records["NW-HOOD-M-SND"].source_data, records["organic-cotton-hoodie:3"].source_data

    assert sand["attributes"] == {"Size": "M", "Color": "Sand"}
    assert (sand["sku"], sand["price"], sand["weight"]) == ("NW-HOOD-M-SND", "68.00", "650")
    assert sand["images"] == [CDN + "hoodie-sand-front.jpg"]
    assert sand["platform_fields"]["Variant Inventory Policy"] == "deny"
    assert "sku" not in unnamed and unnamed["price"] == "72.00"


def test_a_product_with_only_the_default_variant_is_simple_with_that_variant_s_data() -> None:
    pour_over = by_id(read_fixture("shopify", "shopify-products-export.csv"))["ceramic-pour-over-set"]
    data = pour_over.source_data

    assert (data["sku"], data["price"], data["weight"]) == ("KILN-POUR-01", "54.00", "1100")
    assert data["description"] == (
        "<p>Hand-thrown stoneware dripper with a matching 600&nbsp;ml carafe.</p>\r\n"
        "<ul>\r\n<li>Fits #2 filters</li>\r\n<li>Dishwasher safe</li>\r\n</ul>")
    assert data["images"] == [CDN + "pour-over-set.jpg", CDN + "pour-over-set-top.jpg"]
    assert "attributes" not in data
    assert data["platform_fields"]["Variant Barcode"] == "0789012345678"
