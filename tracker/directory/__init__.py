"""The public side: who has signed The Code, and whether a membership number is current."""
