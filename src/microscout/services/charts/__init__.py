"""Charts as specifications: one creator's per-post charts and charts of results."""
