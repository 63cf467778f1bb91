"""Talking to blogs: the WordPress REST API."""
