"""Tables in files, for every importer and export: reading CSV and XLSX (encodings told apart,
rows by physical line, the cell rules every importer checks) and writing CSV that a spreadsheet
opens without running a cell as a formula. No database and no warehouse concepts: the warehouse
packages build on it."""
