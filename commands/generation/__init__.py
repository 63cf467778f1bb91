"""Generation commands: the generation job kinds, and what their results tell the catalog."""
