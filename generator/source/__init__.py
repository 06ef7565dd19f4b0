"""Reading stage: the files of a data folder, their hygiene, parsed once with line numbers."""
