"""Staff screens for annual reports: the queue and decisions, the dashboard, Top Members."""

# Nothing is imported here, as in tracker/review/__init__.py: the blueprints live in views.py and
# top_member_views.py, which the application factory imports.
