"""`cchc serve`: the message without Django, --init (units, accounts, first passwords), the
server answering, and the settings (environment, settings file, database URL)."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cchc.cli import main
from cchc.errors import CchcError
from cchc.portal.config import load_config, parse_database_url

from . import databases

UNITS = ("ma;ten;nhom\n00001;UBND xã Đưng K'Nớ;Huyện Lạc Dương\n00002;UBND xã An Khánh;Huyện Lạc Dương\n;UBND xã Không Mã;\n"
         "00009;=HYPERLINK(\"http://x\");+Nhóm\n")


def test_without_django_it_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "waitress", None)  # import waitress → ImportError
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "Lệnh «cchc serve» cần thêm Django và waitress, chưa được cài trên máy này." in err
    assert 'pip install "cchc[portal]"' in err


def _cchc(*args, env=None, **kw):
    return subprocess.run([sys.executable, "-m", "cchc", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120, **kw)


def test_init_creates_units_accounts_and_first_passwords(tmp_path):
    units = tmp_path / "don_vi.csv"
    units.write_text(UNITS, encoding="utf-8")
    data = tmp_path / "du_lieu"
    env = databases.new_database()
    r = _cchc("serve", "--init", "--units", str(units), "--data", str(data), env=env)
    assert r.returncode == 0, r.stderr
    assert "Đã tạo 4 đơn vị và 5 tài khoản." in r.stdout
    out = data / "mat_khau_ban_dau.csv"
    assert f"Mật khẩu ban đầu: {out}" in r.stdout
    with open(out, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert [(x["ten_dang_nhap"], x["vai_tro"]) for x in rows] == [
        ("tinh", "Cán bộ cấp tỉnh (quản trị)"), ("00001", "Cán bộ đơn vị"), ("00002", "Cán bộ đơn vị"),
        ("dv_xa_khong_ma", "Cán bộ đơn vị"), ("00009", "Cán bộ đơn vị")]
    # Text stays text when the province opens the file in Excel.
    assert (rows[4]["ten_don_vi"], rows[4]["nhom"]) == ("'=HYPERLINK(\"http://x\")", "'+Nhóm")
    assert all(len(x["mat_khau_ban_dau"]) == 12 for x in rows)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    users = databases.query(data, env, "select username, role, must_change_password, password from portal_user order by id")
    assert [(u[0], u[1], u[2]) for u in users] == [
        ("00001", "officer", 1), ("00002", "officer", 1), ("dv_xa_khong_ma", "officer", 1), ("00009", "officer", 1),
        ("tinh", "province", 1)]
    assert all(u[3].startswith("pbkdf2_sha256_first$") for u in users)
    assert databases.query(data, env, "select code, name, \"group\" from portal_unit order by id") == [
        ("00001", "UBND xã Đưng K'Nớ", "Huyện Lạc Dương"), ("00002", "UBND xã An Khánh", "Huyện Lạc Dương"),
        (None, "UBND xã Không Mã", ""), ("00009", '=HYPERLINK("http://x")', "+Nhóm")]
    # Again: nothing new, no password changed, the first file kept.
    before = out.read_bytes()
    r = _cchc("serve", "--init", "--units", str(units), "--data", str(data), env=env)
    assert r.returncode == 0 and "Không có tài khoản mới; mật khẩu của các tài khoản đã có không thay đổi." in r.stdout
    assert out.read_bytes() == before


def test_init_needs_a_units_file(tmp_path, capsys):
    assert main(["serve", "--init", "--data", str(tmp_path)]) == 2
    assert "Khởi tạo cần danh sách đơn vị: cchc serve --init --units DON_VI.csv" in capsys.readouterr().err
    assert main(["serve", "--units", "x.csv"]) == 2
    assert "Tùy chọn --units chỉ dùng cùng --init" in capsys.readouterr().err


@pytest.mark.parametrize("server", ["waitress", "gunicorn"])
def test_the_server_answers(tmp_path, server):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "cchc", "serve", "--data", str(tmp_path / "d"), "--port", str(port),
                             "--server", server, "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **databases.new_database()})
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.2)
        assert body == {"status": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=5) as r:
            page = r.read().decode("utf-8")
        assert "<h1>Đăng nhập</h1>" in page
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/khong-co/", timeout=5)
        except urllib.error.HTTPError as e:
            assert e.code == 404 and "Không tìm thấy trang" in e.read().decode("utf-8")
        else:
            raise AssertionError("404 expected")
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert f"Cổng nộp báo cáo CCHC: http://localhost:{port}/  (dữ liệu: {tmp_path / 'd'}; máy chủ {server};" in err
    # The admin's styles, collected at start into the data folder (nginx serves them from there).
    assert (tmp_path / "d" / "static" / "admin" / "css" / "base.css").is_file()
    assert "Traceback" not in err


def test_settings_from_environment_and_file(tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    (data / "cchc_portal.toml").write_text(
        'upload_max_mb = 5\ndeadline_days = 10\nallowed_hosts = ["baocao.snv.gov.vn"]\nsecret_key = "tu-tep"\n',
        encoding="utf-8")
    cfg = load_config(data, env={})
    assert cfg.upload_max_bytes == 5 * 1024 * 1024 and cfg.deadline_days == 10
    assert cfg.allowed_hosts == ["baocao.snv.gov.vn"] and cfg.secret_key == "tu-tep"
    assert cfg.settings_file == data / "cchc_portal.toml"
    cfg = load_config(data, env={"CCHC_UPLOAD_MAX_MB": "3", "CCHC_SECRET_KEY": "tu-moi-truong"})
    assert cfg.upload_max_bytes == 3 * 1024 * 1024 and cfg.secret_key == "tu-moi-truong"
    with pytest.raises(CchcError, match="Thiết lập upload_max_mb phải là một số nguyên"):
        load_config(data, env={"CCHC_UPLOAD_MAX_MB": "năm"})
    # No secret anywhere: one is generated once, kept private, and reused.
    other = tmp_path / "e"
    first = load_config(other, env={}).secret_key
    assert load_config(other, env={}).secret_key == first and len(first) > 40
    assert oct((other / "secret_key").stat().st_mode & 0o777) == "0o600"
    assert load_config(other, host="0.0.0.0", env={}).allowed_hosts == ["*"]
    assert "CCHC_ALLOWED_HOSTS" in load_config(other, host="0.0.0.0", env={}).notes[0]


def test_database_url():
    data = Path("/srv/cchc")
    assert parse_database_url("sqlite:///cchc.sqlite3", data)["NAME"] == "/srv/cchc/cchc.sqlite3"
    assert parse_database_url("sqlite:////var/lib/cchc/db.sqlite3", data)["NAME"] == "/var/lib/cchc/db.sqlite3"
    pg = parse_database_url("postgresql://cchc:m%E1%BA%ADt@db.local:5433/cchc", data)
    assert (pg["ENGINE"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "django.db.backends.postgresql", "cchc", "mật", "db.local", "5433", "cchc")
    with pytest.raises(CchcError, match="Địa chỉ cơ sở dữ liệu «mysql://x» không hợp lệ"):
        parse_database_url("mysql://x", data)
