"""Public pages per country: the world map, figures, filters and contacts for a concern."""
