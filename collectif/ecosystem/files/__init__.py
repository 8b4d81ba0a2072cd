"""The ecosystem's partner files in: rows of a spreadsheet to organisations and relationships."""
