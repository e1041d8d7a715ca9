#!/usr/bin/env bash
# Build and install pgvector for PostgreSQL 15 from Debian 13 (trixie)'s `pgvector` source package.
#
# Bookworm has no pgvector for PostgreSQL 15, so the source comes from trixie through a PRIVATE apt
# configuration: its own deb-src list (reusing the mirror URI of the machine's Debian sources), its own
# lists and cache directories. The system's apt configuration, lists and caches are never touched.
# Skips everything when the extension is already installed (set PGVECTOR_FORCE=1 to rebuild).
#
# Environment: PG_CONFIG (default /usr/lib/postgresql/15/bin/pg_config),
#              PGVECTOR_WORKDIR (default /var/tmp/techbridge-pgvector), PGVECTOR_SUITE (default trixie).
set -Eeuo pipefail

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
WORKDIR=${PGVECTOR_WORKDIR:-/var/tmp/techbridge-pgvector}
SUITE=${PGVECTOR_SUITE:-trixie}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

log() { printf '[pgvector] %s\n' "$*" >&2; }

[ -x "$PG_CONFIG" ] || { log "$PG_CONFIG not found: install postgresql-server-dev-15 first"; exit 1; }
PKGLIBDIR=$("$PG_CONFIG" --pkglibdir)
SHAREDIR=$("$PG_CONFIG" --sharedir)

if [ "${PGVECTOR_FORCE:-0}" != "1" ] && [ -f "$PKGLIBDIR/vector.so" ] && [ -f "$SHAREDIR/extension/vector.control" ]; then
  log "already installed: $(grep -h default_version "$SHAREDIR/extension/vector.control" | tr -d "' ") in $PKGLIBDIR"
  exit 0
fi

# The mirror the machine already uses for Debian (deb822 or one-line format), without the security archive.
mirror_uri() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")
    if [ -n "$uri" ]; then echo "$uri"; return; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($i !~ /security/) { print $i; exit } else break } }' "$f")
    if [ -n "$uri" ]; then echo "$uri"; return; fi
  done
  echo "http://deb.debian.org/debian"
}

URI=$(mirror_uri)
APT_DIR="$WORKDIR/apt"
SRC_DIR="$WORKDIR/src"
mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$SRC_DIR"
signed_by=""
[ -f "$KEYRING" ] && signed_by=" [signed-by=$KEYRING]"
echo "deb-src$signed_by $URI $SUITE main" >"$APT_DIR/sources.list"
log "source: $(cat "$APT_DIR/sources.list")"

APT_OPTS=(
  -o "Dir::Etc::SourceList=$APT_DIR/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$APT_DIR/lists"
  -o "Dir::Cache=$APT_DIR/cache"
  -o "Dir::Cache::archives=$APT_DIR/cache/archives"
  -o "Dir::Cache::pkgcache="
  -o "Dir::Cache::srcpkgcache="
  -o "Acquire::Retries=3"
  -o "APT::Sandbox::User=root"
  -q
)

for attempt in 1 2 3; do
  if apt-get "${APT_OPTS[@]}" update; then break; fi
  [ "$attempt" -lt 3 ] || { log "apt-get update of the private $SUITE source list failed"; exit 1; }
  log "apt-get update failed (attempt $attempt); retrying in 10 s"
  sleep 10
done

cd "$SRC_DIR"
rm -rf -- ./pgvector-*/
apt-get "${APT_OPTS[@]}" source pgvector
srcdir=$(find . -maxdepth 1 -type d -name 'pgvector-*' | sort | tail -n 1)
[ -n "$srcdir" ] || { log "apt-get source did not unpack a pgvector-* directory"; exit 1; }
log "building $srcdir against $("$PG_CONFIG" --version)"

cd "$srcdir"
# OPTFLAGS="" keeps the build free of -march=native, so the library runs on any x86-64 or arm64 CPU.
make -j"$(nproc)" USE_PGXS=1 PG_CONFIG="$PG_CONFIG" OPTFLAGS=""
make USE_PGXS=1 PG_CONFIG="$PG_CONFIG" OPTFLAGS="" install

if [ ! -f "$PKGLIBDIR/vector.so" ] || [ ! -f "$SHAREDIR/extension/vector.control" ]; then
  log "install did not produce vector.so / vector.control"
  exit 1
fi
log "installed $(grep -h default_version "$SHAREDIR/extension/vector.control" | tr -d "' ")"
