"""Importing an Ofsted report: parse it, review what was found, create the inspection."""
