"""The resolving stage of the pipeline (docs/architecture.md)."""
