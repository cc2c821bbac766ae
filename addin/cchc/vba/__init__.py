"""Macro-enabled workbooks built on Linux: the VBA project format, the compound file
container, and the packaging of `.xlsm`/`.xlam` files with the ribbon and the buttons."""
