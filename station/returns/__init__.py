"""Returns: expected returns, matching a return parcel's note to its order, the return policy."""
