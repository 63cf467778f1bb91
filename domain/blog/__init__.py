"""The blog context: WordPress connections and blog templates."""
