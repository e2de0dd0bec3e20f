"""Shared machinery: tenancy, permissions, audit, locking, errors, deadlines, measures, mail,
file storage.
"""
