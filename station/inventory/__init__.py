"""Locations and the stock ledger."""
