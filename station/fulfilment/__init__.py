"""Orders, holds, batches, packing, parcels and handover."""
