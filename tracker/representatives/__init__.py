"""Local Code Representatives: organisations, their countries and members, the permission table."""

# Nothing is imported here: the blueprint lives in views.py, which the factory imports.
