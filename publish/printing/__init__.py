"""The printing stage of the pipeline (docs/architecture.md)."""
