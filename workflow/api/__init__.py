"""The read-only JSON API, its tokens and its OpenAPI document."""
