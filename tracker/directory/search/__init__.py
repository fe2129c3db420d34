"""The public list of members: its search, filters, order and pages, for every format."""
