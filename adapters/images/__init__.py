"""Blog images: bytes checked and re-encoded with Pillow, offline cards, OpenAI Images."""
