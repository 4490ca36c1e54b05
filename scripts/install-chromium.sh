#!/bin/sh
# Install Debian's Chromium for the browser tests (tests/web/test_browser.py) if it is not there yet.
# Playwright drives it at /usr/bin/chromium; `playwright install` is never needed (nor allowed offline).
set -eu
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "installing Debian's chromium for the browser tests"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
