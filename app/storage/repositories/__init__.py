"""Queries, batched for the checks that need many rows at once."""
