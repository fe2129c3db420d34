"""Membership of The Code after signing: its standing, sanctions and withdrawal."""
