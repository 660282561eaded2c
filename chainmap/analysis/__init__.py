"""Questions asked of the graph: counts, gaps, targets, evaluations."""
