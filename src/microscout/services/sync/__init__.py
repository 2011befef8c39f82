"""Bringing creators and posts in from the platforms' official APIs (``docs/connectors.md``):
credentials, resumable sync jobs, quotas, and a campaign's results."""
