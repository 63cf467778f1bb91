"""Audit: every event of an organization as an entry admins can read (reads the whole log)."""
