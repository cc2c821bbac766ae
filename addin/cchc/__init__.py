"""cchc: spreadsheet-native reporting for communes' administrative-reform (CCHC) reports."""

__version__ = "0.1.0"
