"""The language of the pages: chosen on every page and remembered, else from the browser."""
