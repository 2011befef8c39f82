"""vetting."""
