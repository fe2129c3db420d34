"""A member's public profile and its printable certificate."""
