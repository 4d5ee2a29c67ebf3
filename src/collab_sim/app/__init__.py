"""The educator app (Mesa SolaraViz)."""
