"""Local servers that speak external services' HTTP APIs, and kinds that plug into copydesk's own
extension points (never patches of its code), for tests and benchmarks."""
