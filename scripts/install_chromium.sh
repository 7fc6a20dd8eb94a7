#!/usr/bin/env bash
# Headless Chromium and its WebDriver from Debian's packages, for tests/test_ui.py (the UI as a person uses
# it). Idempotent: does nothing when both are installed. Needs root (CI runs as root) or sudo.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    echo "chromium and chromedriver already installed: $(chromium --version 2>/dev/null || true)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
echo "installed: $(chromium --version 2>/dev/null || true); $(chromedriver --version 2>/dev/null || true)"
