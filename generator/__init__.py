"""Insyn i samverkan: read, check, model and publish the portal's open data.

The package is a few stages, each a subpackage that imports only the stages below it (the
contract is in pyproject.toml and a test keeps it):

- ``source``: read a data folder once, with the line of every value;
- ``checks``: every validation finding, as one ``problems.Problem`` type;
- ``model``: the typed dataset, built from checked data;
- ``history``: which records changed in which commit, read from git;
- ``opendata``: the downloads (flattened tables, CSV, JSON, Excel, SQLite, DCAT);
- ``site``: the website (pages from templates, the feed, MkDocs and Pagefind);

with ``catalogue`` (what every field means, read from the schemas) and ``problems`` at the
bottom, and ``build`` (the pipeline), ``serve`` (the live preview) and ``cli`` at the top.
"""
