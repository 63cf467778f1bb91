"""Design tokens suggested from a picture: its colours read offline, or Claude's view of it."""
