"""Open-data stage: the downloads made from the typed dataset, and their catalogue records."""
