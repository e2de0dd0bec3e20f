"""The app behind each live server's address, for what a test does beside the browser.

Kept outside conftest.py, which pytest may load under a second module name.
"""

LIVE_APPS: dict = {}
