"""Local servers that speak external services' HTTP APIs, for tests and benchmarks."""
