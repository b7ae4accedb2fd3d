#!/usr/bin/env bash
# Makes sure what Loa needs outside npm is here and running: ffmpeg (and, for the tests, Chromium and poppler-utils),
# installed from Debian's packages when missing, then PostgreSQL, Redis and Loa's credentials
# (scripts/local-services.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt-install.sh

command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || apt_install ffmpeg
[ -x /usr/bin/chromium ] || apt_install chromium
# pdftotext, pdfinfo, pdffonts: the report tests read the PDFs Loa prints.
command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null || apt_install poppler-utils

bash scripts/local-services.sh
