"""Station: the PC at the scanning bench of an e-commerce warehouse."""

__version__ = "0.1.0"
