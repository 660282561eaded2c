"""Reading, validating and loading town datasets."""
