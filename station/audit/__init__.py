"""Every scan, as evidence: raw text, meaning, bench, outcome, user, station, time."""
