"""The rules of `<kind>.rules.toml`: parsed in `cchc.catalogue.rules` (below both the checks
and the workbook template, which compiles them into formulas); re-exported here, where the
checks have always found them."""

from cchc.catalogue.rules import *  # noqa: F401,F403
