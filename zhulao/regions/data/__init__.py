"""Static reference data for administrative regions (pure Python, no Django imports)."""
