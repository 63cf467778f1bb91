"""The page builder's agents that call a model (the offline one is `domain.pages.rule_agent`)."""
