"""Reusable widgets: the outcome banner, the list of recent scans."""
