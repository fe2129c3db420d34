"""Public pages and the health check."""

# Nothing is imported here: `import tracker.main.models` must not load the web layer.
# The blueprint lives in views.py, which the application factory imports.
