"""Subcommands of `cchc`, one module each (see cchc.cli)."""
