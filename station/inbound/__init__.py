"""Inbound: purchase orders, receipts (scan to receive), quality check and quarantine, put-away."""
