"""passeur's glossary package."""
