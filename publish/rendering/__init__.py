"""The rendering stage of the pipeline (docs/architecture.md)."""
