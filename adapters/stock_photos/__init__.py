"""Stock-photo providers (Unsplash, Pexels) through their HTTP APIs, and a search across them."""
