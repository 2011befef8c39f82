"""What the platforms' API answers become: canonical rows (``rows.py``)."""
