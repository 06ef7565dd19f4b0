"""Checking stage: every rule the data must follow, each finding a ``Problem`` with its file,
line and field. ``validate`` runs them all; a failed check never stops the others."""
