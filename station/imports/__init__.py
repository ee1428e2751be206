"""Generic file imports: all or nothing, every bad row named by its line number."""
