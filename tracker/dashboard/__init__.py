"""The company dashboard: the member's first page, composed from companies, plans, billing and
reports (so none of them imports another to show it)."""
