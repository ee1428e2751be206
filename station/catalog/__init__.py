"""Products, barcodes, couriers and users."""
