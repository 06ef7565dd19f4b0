"""History stage: the change history of the data, read from git as record changes."""
