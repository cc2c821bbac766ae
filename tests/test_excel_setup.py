"""cchc excel-setup: the xlwings user configuration and the version check."""

from __future__ import annotations

import sys

import pytest
import xlwings

from cchc.cli import main
from cchc.vba.package import build_addin


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    return tmp_path


def _lines(home):
    return (home / ".xlwings" / "xlwings.conf").read_text(encoding="utf-8").splitlines()


def test_writes_interpreter_and_keeps_other_settings(home, capsys):
    conf = home / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    conf.write_text('"LICENSE_KEY","abc"\n"INTERPRETER_WIN","C:\\old\\python.exe"\n', encoding="utf-8")
    assert main(["excel-setup"]) == 0
    assert _lines(home) == ['"LICENSE_KEY","abc"', f'"INTERPRETER_WIN","{sys.executable}"']
    out = capsys.readouterr().out
    assert str(conf) in out and "C:\\old\\python.exe" in out and xlwings.__version__ in out
    # Running it again changes nothing.
    assert main(["excel-setup"]) == 0
    assert _lines(home) == ['"LICENSE_KEY","abc"', f'"INTERPRETER_WIN","{sys.executable}"']


def test_the_file_is_read_back_by_xlwings_itself(home, monkeypatch):
    assert main(["excel-setup"]) == 0
    from xlwings import utils

    monkeypatch.setattr(xlwings, "USER_CONFIG_FILE", str(home / ".xlwings" / "xlwings.conf"))
    assert utils.read_user_config()["interpreter_win"] == sys.executable


def test_version_check_of_a_workbook(home, tmp_path, capsys, monkeypatch):
    xlam = build_addin(tmp_path / "a.xlam")
    assert main(["excel-setup", str(xlam)]) == 0
    assert f"mã VBA xlwings {xlwings.__version__}, khớp" in capsys.readouterr().out
    embedded = xlwings.__version__
    monkeypatch.setattr(xlwings, "__version__", "0.0.1")  # the machine has another xlwings
    assert main(["excel-setup", str(xlam)]) == 1
    out = capsys.readouterr().out
    assert f"mã VBA xlwings {embedded}, máy đang cài xlwings 0.0.1" in out
    assert f"pip install xlwings=={embedded}" in out


def test_a_plain_xlsx_has_no_xlwings_vba(home, template_path, capsys):
    assert main(["excel-setup", str(template_path)]) == 1
    assert "không có mã VBA của xlwings" in capsys.readouterr().out
