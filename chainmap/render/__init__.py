"""Renderers: pure functions from analysis results (or the contract) to files."""
