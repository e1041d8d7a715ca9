#!/usr/bin/env bash
# Install the Debian packages that CI and the test suite need (idempotent).
#
# PostgreSQL 15 with its server headers (to build pgvector), Redis, Chromium with CJK fonts for the
# browser tests, gettext for the message catalogue and the toolchain that `apt-get source` and the
# pgvector build use. Packages already installed are not touched; apt-get update runs only when
# something is missing.
#
# Usage: scripts/ci/install_system_deps.sh            (as root, or through sudo)
set -Eeuo pipefail

PACKAGES=(
  ca-certificates
  build-essential
  dpkg-dev
  git
  make
  gettext
  python3-venv
  postgresql-15
  postgresql-client-15
  postgresql-server-dev-15
  redis-server
  redis-tools
  chromium
  fonts-noto-cjk
  libpango-1.0-0
  libpangoft2-1.0-0
)

log() { printf '[system-deps] %s\n' "$*" >&2; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { log "run as root (or install sudo)"; exit 1; }
  SUDO=(sudo)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  log "all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3; do
  if "${SUDO[@]}" apt-get update -q -o Acquire::Retries=3; then
    break
  fi
  [ "$attempt" -lt 3 ] || { log "apt-get update failed three times"; exit 1; }
  log "apt-get update failed (attempt $attempt); retrying in 10 s"
  sleep 10
done
"${SUDO[@]}" apt-get install -y -q --no-install-recommends -o Acquire::Retries=3 \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
log "done"
