"""Adapters: everything that touches a file, a database or the network."""
