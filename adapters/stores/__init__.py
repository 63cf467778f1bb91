"""Clients of the stores copydesk connects to (Shopify, WooCommerce, Magento 2)."""
