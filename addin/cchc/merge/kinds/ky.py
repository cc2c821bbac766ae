"""The periodic (quarterly) report: what its merge ranks on.

7:3 online applications, 3:2.3 applications settled on time at commune level, 1:2 completion
of the year's CCHC plan, 6:1 disbursement of public investment.
"""

PERIOD_KEYS = ("ky", "nam")
RANKED = ("7:3", "3:2.3", "1:2", "6:1")
