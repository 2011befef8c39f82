"""The creator views: what a page reads about one creator, kept by key for first views."""

from microscout.adapters.views.store import CreatorView, ViewStore, write_views

__all__ = ["CreatorView", "ViewStore", "write_views"]
