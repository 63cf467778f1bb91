"""Process entrypoints: the CLI, the relay, the projectors and the job workers."""
