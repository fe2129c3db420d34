"""Annual reports on the six criteria (issue 7). Imports nothing: see house style."""
