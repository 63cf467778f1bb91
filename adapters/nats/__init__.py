"""NATS JetStream: the stream the relay fills and the projectors read."""
