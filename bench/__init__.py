"""Reproducible benchmarks of copydesk, each a ratio against a baseline measured in the same run.

`python -m bench.run_all` runs all five; each module also runs alone (`python -m bench.rebuild`).
See BENCHMARKS.md.
"""
