"""`python -m publish` runs the command line."""

from .commands.cli import main

main()
