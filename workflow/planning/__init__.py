"""Setting up the plan: inspections, their recommendations, and the actions that answer them."""
