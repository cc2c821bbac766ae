"""The report kinds shipped with cchc, one package each (`ky`: the periodic report; `chi_so`: the
annual SIPAS / PAR Index analysis). Nothing here: generic code finds kinds through the
entry points `cchc.kinds` (cchc.registry), never by importing this package."""
