"""Exercises of chapter 3, Probability and statistics (being written)."""
