"""The reading stage of the pipeline (docs/architecture.md)."""
