"""The commands stage of the pipeline (docs/architecture.md)."""
