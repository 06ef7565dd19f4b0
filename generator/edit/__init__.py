"""Editing data/ from outside: the workbook back into data/, and the canonical form."""
