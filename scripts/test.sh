#!/usr/bin/env bash
# Runs the whole test suite on a Debian/Ubuntu machine with Node 20: installs the real
# redis-server, redis-tools and python3-redis when missing (the differential tests compare
# against Redis; the RedisCluster test runs redis-py),
# installs the npm dependencies when node_modules is missing or older than the lockfile, then
# builds and runs every test. Uses sudo for apt-get only when not already root.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1 || ! command -v redis-benchmark >/dev/null 2>&1 ||
  ! /usr/bin/python3 -c 'import redis' >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "redis-server, redis-tools and python3-redis are needed and apt-get needs root: run this as root, or install sudo" >&2
    exit 1
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server redis-tools python3-redis
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi

# The reliability soak (test/reliability/soak.test.ts) runs this many seconds; run it for
# minutes by hand with e.g. RINGCACHE_SOAK_SECONDS=300 npx mocha test/reliability/soak.test.ts.
export RINGCACHE_SOAK_SECONDS="${RINGCACHE_SOAK_SECONDS:-15}"

npm test
