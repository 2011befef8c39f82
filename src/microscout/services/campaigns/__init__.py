"""Campaigns: the creators working on them, tracking, results and the report (docs/campaigns.md)."""
