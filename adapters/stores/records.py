"""A store's products as copydesk's `ProductRecord`s, with the same external ids a file
export of that store gives (so an item imported from the store or from its export file is
the same): Shopify the handle (a variant its SKU, or `handle:n`), WooCommerce the SKU or
`id:<ID>`, Magento the SKU. `platform_fields.store_id` keeps the store's own id (and
`store_parent_id` a WooCommerce variation's product), which a sync writes back to."""

from collections.abc import Iterator
from typing import Any

from domain.catalog.records import ProductRecord


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def shopify_records(products: list[dict[str, Any]]) -> Iterator[ProductRecord]:
    for line, node in enumerate(products, start=1):
        handle, title = _text(node.get("handle")), _text(node.get("title"))
        seo = node.get("seo") or {}
        variants = (node.get("variants") or {}).get("nodes") or []
        data: dict[str, Any] = {
            "name": title, "description": _text(node.get("descriptionHtml")),
            "brand": _text(node.get("vendor")),
            "categories": [c for c in [_text(node.get("productType"))] if c],
            "meta_title": _text(seo.get("title")),
            "meta_description": _text(seo.get("description")),
            "platform_fields": {"store_id": _text(node.get("id")),
                                "tags": ", ".join(map(str, node.get("tags") or [])),
                                "status": _text(node.get("status"))}}
        simple = len(variants) <= 1 and all(
            _text(v.get("title")) in ("", "Default Title") for v in variants)
        if simple:
            first = variants[0] if variants else {}
            yield ProductRecord(external_id=handle, item_type="simple", parent_external_id=None,
                                name=title, line=line, source_data={
                                    **data, "sku": _text(first.get("sku")),
                                    "price": _text(first.get("price"))})
            continue
        yield ProductRecord(external_id=handle, item_type="parent", parent_external_id=None,
                            name=title, line=line, source_data=data)
        for number, variant in enumerate(variants, start=1):
            sku = _text(variant.get("sku")).strip()
            options = {_text(o.get("name")): _text(o.get("value"))
                       for o in variant.get("selectedOptions") or []}
            yield ProductRecord(
                external_id=sku or f"{handle}:{number}", item_type="variant",
                parent_external_id=handle, name=f"{title} - {_text(variant.get('title'))}",
                line=line, source_data={
                    "sku": sku, "name": title, "price": _text(variant.get("price")),
                    "attributes": options,
                    "platform_fields": {"store_id": _text(variant.get("id")),
                                        "store_parent_id": _text(node.get("id"))}})


def _woo_key(product: dict[str, Any]) -> str:
    sku = _text(product.get("sku")).strip()
    return sku or f"id:{product.get('id')}"


def woocommerce_records(products: list[dict[str, Any]]) -> Iterator[ProductRecord]:
    keys = {p.get("id"): _woo_key(p) for p in products if p.get("type") != "variation"}
    for line, product in enumerate(products, start=1):
        kind = _text(product.get("type"))
        item_type = {"variable": "parent", "variation": "variant"}.get(kind, "simple")
        parent = keys.get(product.get("parent_id")) if item_type == "variant" else None
        name = _text(product.get("name")) or _woo_key(product)
        yield ProductRecord(
            external_id=_woo_key(product), item_type=item_type if parent or
            item_type != "variant" else "simple", parent_external_id=parent, name=name,
            line=line, source_data={
                "sku": _text(product.get("sku")), "name": name,
                "description": _text(product.get("description")),
                "short_description": _text(product.get("short_description")),
                "price": _text(product.get("regular_price") or product.get("price")),
                "categories": [_text(c.get("name")) for c in product.get("categories") or []],
                "images": [_text(i.get("src")) for i in product.get("images") or []],
                "attributes": {_text(a.get("name")): _text(a.get("option") or ", ".join(
                    map(str, a.get("options") or []))) for a in product.get("attributes") or []},
                "platform_fields": {"store_id": _text(product.get("id")),
                                    "store_parent_id": _text(product.get("parent_id") or "")}})


def _attribute(product: dict[str, Any], code: str) -> str:
    for attribute in product.get("custom_attributes") or []:
        if attribute.get("attribute_code") == code:
            return _text(attribute.get("value"))
    return ""


def magento_records(products: list[dict[str, Any]]) -> Iterator[ProductRecord]:
    by_id = {p.get("id"): _text(p.get("sku")) for p in products}
    parents: dict[str, str] = {}
    for product in products:
        links = (product.get("extension_attributes") or {}).get("configurable_product_links")
        for child in links or []:
            if child in by_id:
                parents[by_id[child]] = _text(product.get("sku"))
    for line, product in enumerate(products, start=1):
        sku = _text(product.get("sku"))
        parent = parents.get(sku)
        item_type = ("parent" if product.get("type_id") == "configurable"
                     else "variant" if parent else "simple")
        yield ProductRecord(
            external_id=sku, item_type=item_type, parent_external_id=parent,
            name=_text(product.get("name")), line=line, source_data={
                "sku": sku, "name": _text(product.get("name")),
                "price": _text(product.get("price")),
                "description": _attribute(product, "description"),
                "short_description": _attribute(product, "short_description"),
                "url_key": _attribute(product, "url_key"),
                "meta_title": _attribute(product, "meta_title"),
                "meta_description": _attribute(product, "meta_description"),
                "platform_fields": {"store_id": _text(product.get("id"))}})
