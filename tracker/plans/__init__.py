"""Implementation plans: what an approved company will do per criterion before it signs."""
