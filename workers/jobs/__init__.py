"""The job engine: plans jobs into units, shares the units between worker processes through a
JetStream work queue, runs them through their kind, records each outcome once."""
