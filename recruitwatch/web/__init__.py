"""HTML pages of the dashboard, rendered from the same core as the JSON API (recruitwatch.api.core)."""
