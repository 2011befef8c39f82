"""Text understanding adapters: the offline sentence embedder and the persistent vector index."""
