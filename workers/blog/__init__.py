"""The blog context's long-lived process: the scheduler that publishes due posts."""
