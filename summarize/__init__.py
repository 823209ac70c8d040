"""passeur's summarize package."""
