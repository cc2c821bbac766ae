#!/usr/bin/env bash
# The test command (README quick start and .ci/run): install what the tests need, then run them.
# Installs LibreOffice, poppler and Chromium with apt-get when missing (needs root or sudo), and the
# package with its test extra. Fails loudly when a required tool is still missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-calc libreoffice-writer)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)  # the portal's browser tests (Playwright drives it)
fc-list 2>/dev/null | grep -i "Liberation Serif" >/dev/null || need_apt+=(fonts-liberation2)  # no -q: with pipefail, grep -q closing early fails fc-list
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

PYTHON="${PYTHON:-python3}"
"$PYTHON" -m pip install -q --disable-pip-version-check -e ".[test]"
exec "$PYTHON" -m pytest -q "$@"
