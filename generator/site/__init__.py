"""Website stage: Markdown pages from one set of templates, the Atom feed, and the site built
with MkDocs and indexed with Pagefind."""
