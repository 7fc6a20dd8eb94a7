#!/usr/bin/env bash
# Headless Chromium, its WebDriver and a CJK font from Debian's packages, for tests/test_ui.py (the UI as
# a person uses it). Without a CJK font Chromium draws Chinese as empty boxes; WenQuanYi Micro Hei is the
# smallest Debian font that covers it (1.6 MB download, against 7.5 MB for Zen Hei, 57 MB for Noto CJK).
# Idempotent: installs only what is missing, and says nothing more than one line. Needs root (CI runs as
# root) or sudo.
set -euo pipefail

PACKAGES=(chromium chromium-driver fonts-wqy-microhei)
missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "browser test packages already installed: $(chromium --version 2>/dev/null || true)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
quietly() {  # apt's notes (debconf's "delaying package configuration") only when the command fails
    local output
    if ! output=$("$@" 2>&1); then
        echo "$output" >&2
        return 1
    fi
}
quietly $SUDO apt-get update -qq
quietly $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "installed ${missing[*]}: $(chromium --version 2>/dev/null || true)"
