"""What headers say: synonyms of each canonical field (several languages), words hinting at one,
and headers that give a platform's export away."""

from adapters.catalog_files.columns import normalize

SYNONYMS: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "product sku", "item sku", "article number", "item number", "product code", "part number",
            "reference", "ref", "mpn", "model", "artikelnummer", "art nr", "référence", "reference produit",
            "codigo", "código", "referencia", "codice", "codice articolo", "artikelnr"),
    "name": ("name", "title", "product name", "product title", "item name", "produktname", "bezeichnung",
             "artikelname", "titel", "nom", "nom du produit", "titre", "nombre", "nombre del producto",
             "titulo", "título", "nome", "nome prodotto", "naam", "productnaam"),
    "description": ("description", "long description", "body", "body html", "product description",
                    "content", "details", "beschreibung", "langbeschreibung", "produktbeschreibung",
                    "descriptif", "description longue", "descripción", "descripcion", "descrizione",
                    "omschrijving", "beschrijving"),
    "short_description": ("short description", "excerpt", "summary", "teaser", "kurzbeschreibung",
                          "description courte", "résumé", "descripción corta", "descrizione breve",
                          "korte beschrijving"),
    "price": ("price", "regular price", "list price", "retail price", "msrp", "unit price", "preis",
              "verkaufspreis", "prix", "prix ttc", "precio", "prezzo", "prijs"),
    "categories": ("categories", "category", "product category", "collection", "kategorie",
                   "kategorien", "warengruppe", "catégorie", "catégories", "categoría", "categoria",
                   "categorie"),
    "brand": ("brand", "brands", "vendor", "manufacturer", "make", "marke", "hersteller", "marque",
              "fabricant", "marca", "fabricante", "produttore", "merk"),
    "images": ("images", "image", "image url", "image src", "image link", "picture", "pictures", "photo",
               "photos", "main image", "bild", "bilder", "bild url", "image principale", "imagen", "imagenes",
               "imágenes", "immagine", "immagini", "afbeelding"),
    "weight": ("weight", "shipping weight", "gewicht", "poids", "peso", "gewicht kg"),
    "url_key": ("url key", "slug", "handle", "url handle", "permalink", "url"),
    "meta_title": ("meta title", "seo title", "page title", "title tag", "meta titel", "titre seo",
                   "título seo", "titolo seo"),
    "meta_description": ("meta description", "seo description", "meta beschreibung", "description seo",
                         "descripción seo", "descrizione seo"),
    "attributes": ("attributes", "additional attributes", "specifications", "features", "merkmale",
                   "eigenschaften", "caractéristiques", "características", "caratteristiche"),
}

HINTS: tuple[tuple[str, str], ...] = (
    ("metatitle", "meta_title"), ("seotitle", "meta_title"), ("metadesc", "meta_description"),
    ("seodesc", "meta_description"), ("shortdesc", "short_description"), ("desc", "description"),
    ("price", "price"), ("preis", "price"), ("prix", "price"), ("image", "images"), ("img", "images"),
    ("photo", "images"), ("picture", "images"), ("bild", "images"), ("categ", "categories"),
    ("kategor", "categories"), ("brand", "brand"), ("manufacturer", "brand"), ("vendor", "brand"),
    ("weight", "weight"), ("gewicht", "weight"), ("sku", "sku"), ("ean", "sku"), ("gtin", "sku"),
    ("slug", "url_key"), ("urlkey", "url_key"), ("title", "name"), ("name", "name"),
)
"""(normalized fragment, field): a header containing the fragment probably holds the field."""

NOT_HINTS = ("position", "alt", "label", "count", "qty", "quantity", "unit", "status", "enabled", "visible",
             "width", "height", "length", "date", "class", "limit", "type")
"""Fragments that say a header is about something else (`Image Position` holds no image)."""

MARKERS: dict[str, tuple[str, ...]] = {
    "shopify": ("Handle", "Body (HTML)", "Vendor", "Variant SKU", "Variant Price", "Variant Grams",
                "Option1 Name", "Option1 Value", "Image Src", "SEO Title", "Gift Card", "Published",
                "Variant Inventory Qty", "Variant Compare At Price", "URL handle", "Product image URL"),
    "woocommerce": ("ID", "Type", "Is featured?", "Visibility in catalog", "Short description",
                    "Regular price", "Sale price", "In stock?", "Tax status", "Grouped products",
                    "Attribute 1 name", "Attribute 1 value(s)", "Parent", "Upsells", "Cross-sells"),
    "magento2": ("sku", "store_view_code", "attribute_set_code", "product_type", "product_websites",
                 "url_key", "additional_attributes", "configurable_variations", "base_image",
                 "visibility", "tax_class_name", "product_online", "meta_keywords"),
}
"""Headers that, together, give each platform's export away."""

SYNONYM_FIELDS: dict[str, str] = {normalize(word): field
                                  for field, words in SYNONYMS.items() for word in words}
MARKER_SETS: dict[str, frozenset[str]] = {p: frozenset(normalize(h) for h in hs) for p, hs in MARKERS.items()}
