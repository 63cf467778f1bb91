"""WordPress's own export (Tools → Export → Products: WXR, an RSS document) as WooCommerce rows.

Each `item` with `wp:post_type` `product` or `product_variation` is a row: `title` → Name,
`content:encoded` → Description (a variation's is its `_variation_description` meta),
`excerpt:encoded` → Short description, `wp:post_id` → ID, `wp:post_name` → Slug, the
`product_type` term → Type, `product_cat` / `product_tag` terms → Categories / Tags, `pa_*`
terms (parents) and `attribute_*` metas (variations) → attributes, metas `_sku`,
`_regular_price`, `_sale_price`, `_weight` and the Yoast SEO ones → their columns; other
public metas become `Meta: <key>` columns. A variation's parent is `id:<wp:post_parent>`.
Images are attachment ids in WXR, so they are not read.
"""

from adapters.catalog_files.xml_scan import XmlField, XmlRow, local_name

_PRODUCT_TYPES = ("product", "product_variation")
_METAS = {"_sku": "SKU", "_regular_price": "Regular price", "_sale_price": "Sale price",
          "_weight": "Weight (kg)", "_yoast_wpseo_title": "Meta: _yoast_wpseo_title",
          "_yoast_wpseo_metadesc": "Meta: _yoast_wpseo_metadesc"}

Columns = dict[str, tuple[str, XmlField | None]]


def attribute_label(taxonomy: str) -> str:
    """`pa_shirt-size` → `Shirt size`."""
    name = taxonomy.removeprefix("pa_").replace("-", " ").replace("_", " ").strip()
    return name[:1].upper() + name[1:]


def wxr_columns(row: XmlRow) -> Columns | None:
    """WooCommerce column → (value, element) of one WXR item; None when it is not a product."""
    plain: dict[str, str] = {}
    elements: dict[str, XmlField] = {}
    terms: dict[str, list[str]] = {}
    metas: dict[str, str] = {}
    for field in row.fields:
        namespace, _, name = field.tag.lstrip("{").rpartition("}")
        if name == "encoded":
            elements["excerpt" if "excerpt" in namespace else "content"] = field
        elif name == "category":
            terms.setdefault(field.attrib.get("domain", ""), []).append(field.text.strip())
        elif name == "postmeta":
            meta = {local_name(tag): text for tag, text in field.children}
            if meta.get("meta_key"):
                metas[meta["meta_key"]] = meta.get("meta_value", "")
        else:
            plain[name] = field.text.strip()
            elements[name] = field
    post_type = plain.get("post_type", "")
    if post_type not in _PRODUCT_TYPES:
        return None
    variation = post_type == "product_variation"
    columns: Columns = {
        "ID": (plain.get("post_id", ""), None),
        "Type": ("variation" if variation else (terms.get("product_type") or ["simple"])[0], None),
        "Name": (plain.get("title", ""), elements.get("title")),
        "Slug": (plain.get("post_name", ""), None),
        "Status": (plain.get("status", ""), None),
        "Categories": (", ".join(t.replace(",", "\\,") for t in terms.get("product_cat", [])), None),
        "Tags": (", ".join(t.replace(",", "\\,") for t in terms.get("product_tag", [])), None),
    }
    content, excerpt = elements.get("content"), elements.get("excerpt")
    if variation:
        columns["Description"] = (metas.get("_variation_description", ""), None)
        columns["Parent"] = (f"id:{plain.get('post_parent', '').strip()}", None)
    else:
        columns["Description"] = (content.text if content else "", content)
    columns["Short description"] = (excerpt.text if excerpt else "", excerpt)
    for key, value in metas.items():
        if key in _METAS:
            columns[_METAS[key]] = (value, None)
        elif not key.startswith("_") and not key.startswith("attribute_"):
            columns[f"Meta: {key}"] = (value, None)
    attributes = ([(attribute_label(k), ", ".join(v)) for k, v in terms.items() if k.startswith("pa_")]
                  if not variation else
                  [(attribute_label(k.removeprefix("attribute_")), v)
                   for k, v in metas.items() if k.startswith("attribute_")])
    for number, (label, value) in enumerate(attributes, start=1):
        columns[f"Attribute {number} name"] = (label, None)
        columns[f"Attribute {number} value(s)"] = (value, None)
    return columns
