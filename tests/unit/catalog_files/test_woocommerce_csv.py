"""WooCommerce product CSV exports read as records: types, parents by SKU or id, lists."""

from tests.unit.catalog_files.catalog_helpers import by_id, read_fixture, summary

UPLOADS = "https://shop.example.com/wp-content/uploads/2024/05/"


def test_types_map_to_item_types_and_variations_to_their_parent() -> None:
    records = read_fixture("woocommerce", "woocommerce-products-export.csv")

    assert [summary(r) for r in records] == [
        ("WOO-HOODIE", "parent", None, "Hoodie", 2),
        ("WOO-HOODIE-BLUE-L", "variant", "WOO-HOODIE", "Hoodie - Blue, Large", 8),
        ("id:103", "variant", "WOO-HOODIE", "Hoodie - Green, Medium", 9),
        ("WOO-BEANIE", "simple", None, "Beanie", 10),
        ("WOO-ALBUM", "simple", None, "Album", 12),
        ("WOO-PENNANT", "simple", None, "WordPress Pennant", 13),
        ("WOO-LOGO-COLLECTION", "simple", None, "Logo Collection", 14),
        ("id:108", "parent", None, "Enamel Mug", 15),
        ("MUG-BLACK", "variant", "id:108", "Enamel Mug - Black", 16),
        ("POLO-WHITE", "variant", "WOO-POLO", "Polo - White", 17),
        ("WOO-POLO", "parent", None, "Polo", 18),
    ]


def test_a_variable_product_carries_its_lists_and_attributes() -> None:
    hoodie = by_id(read_fixture("woocommerce", "woocommerce-products-export.csv"))["WOO-HOODIE"].source_data

    assert hoodie["categories"] == ["Clothing > Hoodies"]
    assert hoodie["images"] == [UPLOADS + "hoodie-2.jpg", UPLOADS + "hoodie-blue-1.jpg",
                                UPLOADS + "hoodie-green-1.jpg"]
    assert hoodie["attributes"] == {"Color": "Blue, Green, Red", "Size": "Large, Medium"}
    assert hoodie["brand"] == "Woo"
    assert hoodie["weight"] == "0.6"
    assert hoodie["short_description"] == "<p>A warm <em>fleece</em> hoodie.</p>"
    assert hoodie["description"].splitlines()[1] == \
        '<p>Brushed fleece inside, "soft-touch" cotton outside.</p>'
    assert hoodie["platform_fields"]["ID"] == "101"
    assert hoodie["platform_fields"]["Attribute 1 visible"] == "1"


def test_categories_split_on_commas_but_not_on_escaped_ones() -> None:
    records = by_id(read_fixture("woocommerce", "woocommerce-products-export.csv"))

    assert records["WOO-BEANIE"].source_data["categories"] == ["Clothing > Accessories", "Sale"]
    assert records["id:108"].source_data["categories"] == ["Kitchen > Mugs, Cups & Glasses"]


def test_a_variation_has_its_own_values_and_the_simple_types_keep_their_flags() -> None:
    records = by_id(read_fixture("woocommerce", "woocommerce-products-export.csv"))
    blue = records["WOO-HOODIE-BLUE-L"].source_data

    assert blue["attributes"] == {"Color": "Blue", "Size": "Large"}
    assert (blue["price"], blue["platform_fields"]["Sale price"]) == ("45", "42")
    assert records["WOO-BEANIE"].source_data["short_description"] == "<p>Rib-knit beanie,\nin merino.</p>"
    assert records["WOO-ALBUM"].source_data["platform_fields"]["Type"] == "simple, downloadable, virtual"
    assert records["WOO-LOGO-COLLECTION"].source_data["platform_fields"]["Grouped products"] == \
        "WOO-HOODIE, WOO-BEANIE"
