"""One module per area of the API; each exposes `ROUTES` (controllers and handlers)."""
