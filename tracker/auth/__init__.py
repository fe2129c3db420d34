"""Accounts: registration, sign-in, confirmation, password reset, invitations; who may do what."""

# Nothing is imported here: `import tracker.auth.models` must not load the web layer.
# The blueprint lives in views.py, which the application factory imports.
