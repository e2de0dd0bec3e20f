"""The planning blueprints: inspections, recommendations and actions."""
