"""The products the fake stores hold in the store integration tests: in each, one simple
product and one with two variants (Shopify product with variants, WooCommerce variable
product with variations, Magento configurable with simple children)."""

from typing import Any


def shopify_products() -> list[dict[str, Any]]:
    def variant(n: int, sku: str, title: str) -> dict[str, Any]:
        return {"id": f"gid://shopify/ProductVariant/{n}", "sku": sku, "price": "25.00",
                "title": title, "selectedOptions": [{"name": "Size", "value": title}]}
    return [
        {"id": "gid://shopify/Product/1", "title": "Brass lamp", "handle": "brass-lamp",
         "descriptionHtml": "<p>A lamp.</p>", "vendor": "Lumen", "productType": "Lamps",
         "tags": ["desk"], "status": "ACTIVE", "seo": {"title": None, "description": None},
         "variants": {"nodes": [{"id": "gid://shopify/ProductVariant/10", "sku": "LAMP-1",
                                 "price": "79.00", "title": "Default Title",
                                 "selectedOptions": []}]}},
        {"id": "gid://shopify/Product/2", "title": "Linen shirt", "handle": "linen-shirt",
         "descriptionHtml": "", "vendor": "Flax", "productType": "Shirts", "tags": [],
         "status": "ACTIVE", "seo": {"title": None, "description": None},
         "variants": {"nodes": [variant(20, "SHIRT-S", "S"), variant(21, "SHIRT-M", "M")]}},
    ]


def woo_products() -> tuple[list[dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    products = [
        {"id": 11, "name": "Oak stool", "sku": "STOOL-1", "type": "simple", "status": "publish",
         "description": "<p>A stool.</p>", "short_description": "", "regular_price": "40",
         "categories": [{"id": 9, "name": "Furniture"}], "images": [], "attributes": []},
        {"id": 12, "name": "Wool scarf", "sku": "SCARF", "type": "variable", "status": "publish",
         "description": "", "short_description": "", "regular_price": "",
         "categories": [], "images": [], "attributes": []},
    ]
    variations = {12: [
        {"id": 121, "sku": "SCARF-RED", "regular_price": "30", "description": "",
         "attributes": [{"name": "Colour", "option": "Red"}]},
        {"id": 122, "sku": "", "regular_price": "30", "description": "",
         "attributes": [{"name": "Colour", "option": "Blue"}]},
    ]}
    return products, variations


def magento_products() -> list[dict[str, Any]]:
    def simple(n: int, sku: str, name: str) -> dict[str, Any]:
        return {"id": n, "sku": sku, "name": name, "type_id": "simple", "price": 50,
                "custom_attributes": [{"attribute_code": "description", "value": "<p>x</p>"}]}
    return [
        {"id": 1, "sku": "MH01", "name": "Chaz Hoodie", "type_id": "configurable", "price": 52,
         "custom_attributes": [{"attribute_code": "description", "value": "<p>Hoodie</p>"}],
         "extension_attributes": {"configurable_product_links": [2, 3]}},
        simple(2, "MH01-S", "Chaz Hoodie S"), simple(3, "MH01-M", "Chaz Hoodie M"),
        simple(4, "WB01", "Water bottle"),
    ]
