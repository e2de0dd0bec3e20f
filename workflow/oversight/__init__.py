"""Watching progress: dashboards, home pages, search, reminders and the calendar feed."""
