"""The search context's commands: the page index, saved queries, segments, feeds."""
