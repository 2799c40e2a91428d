#!/usr/bin/env bash
# Set up a fresh machine: system packages (Chromium for charts in exports, Thai fonts), a virtual
# environment with the pinned Python packages, and the Sarabun font files that Streamlit serves.
#   bash scripts/setup.sh          the dashboard and the command line (requirements.txt)
#   bash scripts/setup.sh --dev    and what the tests need: pytest, playwright (requirements-dev.txt)
#                                  and poppler-utils (the PDF checks); the browser tests drive the
#                                  same Chromium
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=requirements.txt
for arg in "$@"; do
  case "$arg" in
    --dev) requirements=requirements-dev.txt ;;
    *) echo "usage: bash scripts/setup.sh [--dev]" >&2; exit 2 ;;
  esac
done

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -d /usr/share/fonts/truetype/tlwg ] || missing+=(fonts-thai-tlwg)
if [ "$requirements" = requirements-dev.txt ]; then
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements"
.venv/bin/python -c "from ita_data import ui; ui.install_fonts()"
echo "setup: ready ($requirements)"
