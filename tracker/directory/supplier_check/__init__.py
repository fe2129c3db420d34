"""The supplier check: a partner's list of suppliers read, matched to members and shown."""
