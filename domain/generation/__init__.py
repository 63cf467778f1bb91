"""Generating product copy: prompts, answers, validators, tones, reference lists, the offline writer."""
