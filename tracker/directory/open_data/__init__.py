"""Open data: the directory as CSV and an Atom feed, and the fields the API shares."""
