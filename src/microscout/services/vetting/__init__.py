"""Vetting: a creator's evidence, the verdict, the authenticity stage and model training."""
