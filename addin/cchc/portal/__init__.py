"""Cổng nộp báo cáo: the web portal where units upload their workbooks and the province sees
and merges them (`cchc serve`).

A Django project, and an adapter like the command line and the Excel buttons: everything it
does to a workbook goes through `cchc.app`. Nothing outside this package (and
`cchc.commands.serve`) imports Django.

    config.py     settings from the environment or one TOML file (no Django import)
    settings.py   the Django settings built from them
    models.py     units, accounts, periods, submissions (every version kept), merges, audit log
    access.py     who may see what: roles, object-level checks, first-password rule, API tokens,
                  login lock-out, session expiry, password rules, trusted proxy headers
    store.py      files on disk: written atomically under generated names, never overwritten
    services.py   receiving an upload, building derived files, merging a period
    integrity.py  every record backed by its intact file (`cchc serve --verify`)
    backup.py     consistent backup and restore of the database and the files
    views.py      the pages; api.py the JSON API; urls.py every URL
"""
