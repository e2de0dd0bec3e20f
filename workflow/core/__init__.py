"""Shared machinery every feature uses: tenancy, permissions, audit, locking, errors, deadlines, measures, mail and file storage."""
