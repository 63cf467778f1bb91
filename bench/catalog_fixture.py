"""Generated store exports of any size, in each platform's real CSV layout (for the catalog-file
and import benchmarks): HTML descriptions over several lines, products with variants, images,
categories. Deterministic for a given row count.

    generate_catalog("shopify", 100_000, open("catalog.csv", "wb"))
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Iterator
from typing import BinaryIO


def _columns(header_line: str) -> list[str]:
    return header_line.split(",")


SHOPIFY = _columns(
    "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,"
    "Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Grams,"
    "Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,"
    "Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires Shipping,"
    "Variant Taxable,Variant Barcode,Image Src,Image Position,Image Alt Text,Gift Card,SEO Title,"
    "SEO Description,Variant Image,Variant Weight Unit,Cost per item,Status")
WOOCOMMERCE = _columns(
    "ID,Type,SKU,Name,Published,Is featured?,Visibility in catalog,Short description,Description,"
    "Tax status,In stock?,Stock,Weight (kg),Sale price,Regular price,Categories,Tags,Images,Parent,"
    "Position,Brands,Attribute 1 name,Attribute 1 value(s),Attribute 1 visible,Attribute 1 global,"
    "Attribute 2 name,Attribute 2 value(s),Attribute 2 visible,Attribute 2 global")
MAGENTO = _columns(
    "sku,store_view_code,attribute_set_code,product_type,categories,product_websites,name,description,"
    "short_description,weight,product_online,tax_class_name,visibility,price,url_key,meta_title,"
    "meta_keywords,meta_description,base_image,small_image,thumbnail_image,additional_attributes,qty,"
    "is_in_stock,configurable_variations,additional_images")

_NOUNS = ("Hoodie", "Jacket", "Tee", "Sneaker", "Backpack", "Mug", "Lamp", "Blanket", "Watch", "Scarf")
_ADJECTIVES = ("Organic", "Classic", "Recycled", "Merino", "Vintage", "Ultralight", "Handmade", "Waterproof")
_COLORS = ("Black", "Navy", "Forest", "Sand", "Rust", "Gray")
_SIZES = ("XS", "S", "M", "L", "XL")
_CATEGORIES = ("Men > Tops > Hoodies", "Women > Outerwear > Jackets", "Home > Kitchen > Mugs",
               "Accessories > Bags", "Home > Living > Blankets")
_SENTENCES = (
    "Made from responsibly sourced materials, it is built to last season after season.",
    "A relaxed fit and soft hand feel make it an everyday favourite.",
    "Every seam is double-stitched, and the trims are recycled \"where possible\".",
    "Machine wash cold, tumble dry low; it keeps its shape wash after wash.",
    "Designed in Lisbon & made in small batches by a family-run workshop.",
)


def _html(rng: random.Random, name: str) -> str:
    lines = [f"<p><strong>{name}</strong>: {rng.choice(_SENTENCES)} {rng.choice(_SENTENCES)}</p>",
             "<ul>", *(f"<li>{rng.choice(_SENTENCES)}</li>" for _ in range(3)), "</ul>",
             f"<p>{rng.choice(_SENTENCES)}</p>"]
    return "\n".join(lines)


def _product(rng: random.Random, number: int) -> tuple[str, str, str]:
    name = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {number}"
    return name, name.lower().replace(" ", "-"), f"P{number:06d}"


def _shopify(rng: random.Random) -> Iterator[list[str]]:
    number = 0
    while True:
        number += 1
        name, handle, code = _product(rng, number)
        colors = rng.sample(_COLORS, rng.randint(1, 2))
        sizes = rng.sample(_SIZES, rng.randint(1, 3))
        cdn = f"https://cdn.shopify.com/s/files/1/0533/2089/files/{handle}"
        for index, (color, size) in enumerate((c, s) for c in colors for s in sizes):
            row = dict.fromkeys(SHOPIFY, "")
            row.update({"Handle": handle, "Option1 Value": size, "Option2 Value": color,
                        "Variant SKU": f"{code}-{color[:3].upper()}-{size}", "Variant Grams": "650",
                        "Variant Inventory Tracker": "shopify",
                        "Variant Inventory Qty": str(rng.randint(0, 90)),
                        "Variant Inventory Policy": "deny", "Variant Fulfillment Service": "manual",
                        "Variant Price": f"{rng.randint(15, 180)}.00", "Variant Requires Shipping": "true",
                        "Variant Taxable": "true", "Variant Weight Unit": "kg", "Cost per item": "12.40"})
            if index == 0:
                row.update({"Title": name, "Body (HTML)": _html(rng, name), "Vendor": "Northwind",
                            "Product Category": rng.choice(_CATEGORIES), "Type": name.split()[1],
                            "Tags": "new, bestseller", "Published": "true", "Option1 Name": "Size",
                            "Option2 Name": "Color", "Image Src": f"{cdn}-1.jpg", "Image Position": "1",
                            "Gift Card": "false", "SEO Title": name, "Status": "active"})
            yield [row[h] for h in SHOPIFY]
        image = dict.fromkeys(SHOPIFY, "")
        image.update({"Handle": handle, "Image Src": f"{cdn}-2.jpg", "Image Position": "2"})
        yield [image[h] for h in SHOPIFY]


def _woocommerce(rng: random.Random) -> Iterator[list[str]]:
    number, identifier = 0, 1000
    uploads = "https://shop.example.com/wp-content/uploads/2024/05/"
    while True:
        number += 1
        identifier += 1
        name, slug, code = _product(rng, number)
        colors = rng.sample(_COLORS, rng.randint(1, 3))
        variable = rng.random() < 0.6
        base = dict.fromkeys(WOOCOMMERCE, "")
        base.update({"Published": "1", "Is featured?": "0", "Visibility in catalog": "visible",
                     "Tax status": "taxable", "In stock?": "1", "Position": "0"})
        parent = {**base, "ID": str(identifier), "Type": "variable" if variable else "simple", "SKU": code,
                  "Name": name, "Short description": f"<p>{rng.choice(_SENTENCES)}</p>",
                  "Description": _html(rng, name), "Weight (kg)": "0.6",
                  "Regular price": "" if variable else f"{rng.randint(15, 180)}",
                  "Categories": f"{rng.choice(_CATEGORIES)}, Sale", "Tags": "new, bestseller",
                  "Images": f"{uploads}{slug}-1.jpg, {uploads}{slug}-2.jpg", "Brands": "Woo",
                  "Attribute 1 name": "Color", "Attribute 1 value(s)": ", ".join(colors),
                  "Attribute 1 visible": "1", "Attribute 1 global": "1"}
        yield [parent[h] for h in WOOCOMMERCE]
        if not variable:
            continue
        parent_id = identifier
        for color in colors:
            identifier += 1
            variation = {**base, "ID": str(identifier), "Type": "variation", "SKU": f"{code}-{color.upper()}",
                         "Name": f"{name} - {color}", "Stock": str(rng.randint(0, 50)),
                         "Regular price": f"{rng.randint(15, 180)}", "Parent": f"id:{parent_id}",
                         "Attribute 1 name": "Color", "Attribute 1 value(s)": color,
                         "Attribute 1 global": "1"}
            yield [variation[h] for h in WOOCOMMERCE]


def _magento(rng: random.Random) -> Iterator[list[str]]:
    number = 0
    while True:
        number += 1
        name, slug, code = _product(rng, number)
        categories = f"Default Category/{rng.choice(_CATEGORIES).replace(' > ', '/')}|Default Category"
        base = dict.fromkeys(MAGENTO, "")
        base.update({"attribute_set_code": "Top", "categories": categories, "product_websites": "base",
                     "product_online": "1", "tax_class_name": "Taxable Goods", "qty": "100",
                     "is_in_stock": "1"})
        links = []
        for color in rng.sample(_COLORS, 2):
            for size in rng.sample(_SIZES, 2):
                sku = f"{code}-{size}-{color}"
                links.append(f"sku={sku},size={size},color={color}")
                child = {**base, "sku": sku, "product_type": "simple", "name": f"{name}-{size}-{color}",
                         "description": _html(rng, name), "weight": "1",
                         "visibility": "Not Visible Individually",
                         "price": f"{rng.randint(15, 180)}", "url_key": f"{slug}-{size}-{color}".lower(),
                         "base_image": f"/{slug[0]}/{slug[1]}/{slug}-{color.lower()}_main.jpg",
                         "additional_attributes":
                             f"has_options=0,required_options=0,size={size},color={color}"}
                yield [child[h] for h in MAGENTO]
        image = f"/{slug[0]}/{slug[1]}/{slug}_main.jpg"
        parent = {**base, "sku": code, "product_type": "configurable", "name": name,
                  "description": _html(rng, name), "visibility": "Catalog, Search",
                  "price": f"{rng.randint(15, 180)}", "url_key": slug, "meta_title": name,
                  "base_image": image, "small_image": image, "thumbnail_image": image,
                  "additional_attributes": "has_options=1,required_options=1",
                  "configurable_variations": "|".join(links),
                  "additional_images": f"{image},{image}-back.jpg"}
        yield [parent[h] for h in MAGENTO]


_ROWS: dict[str, tuple[list[str], Callable[[random.Random], Iterator[list[str]]]]] = {
    "shopify": (SHOPIFY, _shopify), "woocommerce": (WOOCOMMERCE, _woocommerce),
    "magento2": (MAGENTO, _magento)}


def generate_catalog(platform: str, rows: int, out: BinaryIO) -> None:
    """Write a `platform` export of `rows` data rows (records, not lines) to `out` as UTF-8 CSV;
    the last product may be cut short (and for Magento, children without their parent)."""
    header, make = _ROWS[platform]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    for count, row in zip(range(rows), make(random.Random(rows)), strict=False):
        writer.writerow(row)
        if count % 1000 == 999:
            out.write(text.getvalue().encode())
            text.seek(0)
            text.truncate()
    out.write(text.getvalue().encode())
