"""Verifying a membership number: is it a current member, and in what standing."""
