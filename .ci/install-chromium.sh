#!/usr/bin/env bash
# Installs Debian's chromium (and Liberation fonts, metric-compatible with Helvetica/Arial, which the
# report's Graphviz layout measures text with) for the headless report test. Idempotent: does nothing
# when both are already installed. Run as root (CI is root), or with sudo available.
set -euo pipefail

need=()
dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed" && [ -x /usr/bin/chromium ] || need+=(chromium)
dpkg-query -W -f='${Status}' fonts-liberation 2>/dev/null | grep -q "install ok installed" || need+=(fonts-liberation)

if [ ${#need[@]} -eq 0 ]; then
  echo "install-chromium: chromium and fonts-liberation already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-chromium: need root or sudo to install ${need[*]}" >&2; exit 1; }
  SUDO="sudo"
fi

echo "install-chromium: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
[ -x /usr/bin/chromium ] || { echo "install-chromium: /usr/bin/chromium missing after install" >&2; exit 1; }
echo "install-chromium: done ($(dpkg-query -W -f='${Version}' chromium))"
