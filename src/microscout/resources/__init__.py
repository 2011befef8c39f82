"""Data files packaged with microscout (the IAB Tech Lab Content Taxonomy 3.1, CC BY 3.0)."""
