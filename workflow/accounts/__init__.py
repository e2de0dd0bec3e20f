"""Authorities, people and signing in: users, service areas, settings and profiles."""
