"""Staff review of applications: the queue, the detail page and the decisions."""

# Nothing is imported here: `import tracker.review.models` must not load the web layer.
# The blueprint lives in views.py, which the application factory imports.
