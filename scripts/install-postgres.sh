#!/bin/sh
# The PostgreSQL tests start their own server (scripts/lib/postgres.mjs) from Debian's binaries;
# this puts them there when missing. AUTOPROV_TEST_DATABASE_URL names an outside server instead.
set -eu
if [ -n "${AUTOPROV_TEST_DATABASE_URL:-}" ]; then exit 0; fi
for initdb in /usr/lib/postgresql/*/bin/initdb; do
  if [ -x "$initdb" ]; then exit 0; fi
done
# pg_config alone proves nothing (libpq-dev ships one too): the server's initdb must be beside it.
if command -v pg_config >/dev/null 2>&1; then
  bindir="$(pg_config --bindir 2>/dev/null || true)"
  if [ -n "$bindir" ] && [ -x "$bindir/initdb" ]; then exit 0; fi
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "The PostgreSQL tests need PostgreSQL's server binaries, and they are missing." >&2
    echo "Install Debian's package as root (apt-get install postgresql), or set" >&2
    echo "AUTOPROV_TEST_DATABASE_URL to a PostgreSQL server the tests may use." >&2
    exit 1
  fi
  SUDO="sudo"
fi
echo "Installing Debian's postgresql for the database tests (the tests start their own server)..."
$SUDO apt-get update -qq
# postgresql-common first, so the system cluster is switched off before the server package would
# create it: the tests never use it, and it would hold port 5432 on every boot. (env, not a
# prefix: sudo drops the caller's environment.)
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-common >/dev/null
conf=/etc/postgresql-common/createcluster.conf
if [ ! -f "$conf" ]; then $SUDO touch "$conf"; fi
$SUDO pg_conftool "$conf" set create_main_cluster false
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
