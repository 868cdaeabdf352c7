"""The editions stage of the pipeline (docs/architecture.md)."""
