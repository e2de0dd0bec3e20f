"""The accounts blueprints: sign-in, users, an authority's settings, a person's profile."""
