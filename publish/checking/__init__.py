"""The checking stage of the pipeline (docs/architecture.md)."""
