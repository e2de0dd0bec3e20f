"""The oversight blueprints: dashboard, home, search, the calendar feed and the audit trail."""
