"""Authorities, people and signing in: sign-in, users, service areas, settings and each person's profile."""
