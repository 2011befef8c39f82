"""Trained models saved in the home (fake-follower, niche) and the stores that load them."""
