"""Model stage: the typed dataset, parsed once from checked data and only read after."""
