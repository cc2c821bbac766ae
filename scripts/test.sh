#!/usr/bin/env bash
# The test command (README quick start and .ci/run): install what the tests need, then run them.
# Installs LibreOffice, poppler, Chromium and the PostgreSQL server with apt-get when missing (needs
# root or sudo), and the package with its test extra. Fails loudly when a required tool is still
# missing.
#
# Two passes: the whole suite (the portal on SQLite), then the portal suite again on PostgreSQL, in
# a throw-away cluster that scripts/with_postgres.sh starts on a free local port and removes at the
# end. Arguments go to pytest in both passes (default: the whole suite, then tests/portal).
# CCHC_TEST_DB=sqlite or CCHC_TEST_DB=postgresql runs one pass only.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-calc libreoffice-writer)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)  # the portal's browser tests (Playwright drives it)
fc-list 2>/dev/null | grep -i "Liberation Serif" >/dev/null || need_apt+=(fonts-liberation2)  # no -q: with pipefail, grep -q closing early fails fc-list
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)  # the portal suite's second pass
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing with apt-get: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

for tool in soffice pdftoppm pdftotext chromium; do
  command -v "$tool" >/dev/null 2>&1 || { echo "MISSING: $tool (the tests need it)" >&2; exit 3; }
done
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "MISSING: PostgreSQL server (apt-get install postgresql)" >&2; exit 3; }

PYTHON="${PYTHON:-python3}"
"$PYTHON" -m pip install -q --disable-pip-version-check -e ".[test]"

which="${CCHC_TEST_DB:-both}"
status=0
if [ "$which" != "postgresql" ]; then
  echo "== pass 1: the test suite, the portal on SQLite"
  env -u CCHC_TEST_DATABASE_URL "$PYTHON" -m pytest -q "$@" || status=$?
fi
if [ "$which" != "sqlite" ]; then
  echo "== pass 2: the portal suite on PostgreSQL"
  if [ $# -gt 0 ]; then args=("$@"); else args=(tests/portal); fi
  bash scripts/with_postgres.sh "$PYTHON" -m pytest -q "${args[@]}" || { s=$?; [ $status -eq 0 ] && status=$s; }
fi
exit $status
