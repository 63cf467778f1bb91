"""HTTP: Litestar controllers, request and response Structs, error mapping, auth."""
