"""Staff accounts managed in the app: invitations, representatives' countries, deactivation."""

# Nothing is imported here: the blueprint lives in views.py, which the factory imports.
