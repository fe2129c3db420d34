"""Companies: applying, the company's own pages, signing The Code."""

# Nothing is imported here: `import tracker.companies.models` must not load the web layer.
# The blueprint lives in views.py, which the application factory imports.
