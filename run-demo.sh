#!/usr/bin/env bash
# Runs Summit with the 2020 demo summit in one process (the standalone host), keeping its data in a private
# PostgreSQL. Installs PostgreSQL's server binaries first when the machine lacks them (Debian/Ubuntu).
set -euo pipefail
cd "$(dirname "$0")"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1 \
   && [ -z "${ConnectionStrings__Summit:-}" ]; then
  echo "PostgreSQL's server binaries are missing: installing the Debian package postgresql."
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
fi

echo "Building and starting Summit (the first build also installs and builds the dashboard with npm)..."
exec dotnet run --project Standalone -- "$@"
