#!/usr/bin/env bash
# Set up a fresh machine: system packages (Chromium for charts in exports and browser tests,
# Thai fonts, poppler for PDF checks), a virtual environment with the pinned Python packages,
# and the Sarabun font files that Streamlit serves. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -d /usr/share/fonts/truetype/tlwg ] || missing+=(fonts-thai-tlwg)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python -c "from ita_data import ui; ui.install_fonts()"
echo "setup: ready"
