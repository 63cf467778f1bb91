"""Store integration: connections to an organization's online stores (Shopify, WooCommerce,
Magento 2), what a test of one found, and the projects linked to it."""
