"""The annual SIPAS / PAR Index analysis (catalogue chi_so): one merge per year; the province
tables (field scores, ranking, rating distribution, mean per field, SIPAS) come from
cchc.chiso.merge."""

PERIOD_KEYS = ("nam",)
RANKED = ("SIPAS:1",)


def extra_tables(result):
    from cchc.chiso.merge import tables_from_merge

    return tables_from_merge(result)
