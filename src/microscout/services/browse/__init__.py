"""Browsing creators: lists with every stored figure, one profile in detail, comparisons."""
