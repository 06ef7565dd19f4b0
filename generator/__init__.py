"""Insyn i samverkan: load, validate, render and export the portal's open data."""
