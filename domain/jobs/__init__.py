"""Jobs: long work (generation, regeneration, imports) as a Job aggregate with one outcome per
unit of work, and the per-project slot that keeps conflicting jobs apart."""
