#!/usr/bin/env bash
# The production commands on a plain machine (issue 12, item 21): the built app with production
# dependencies only, run by whatever `node` is on the PATH. With Node 22 they migrate, serve and
# stop on SIGTERM; with an older Node they refuse in one clear line. Run by .ci/run after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
node22_dir=$(dirname "$(readlink -f node_modules/.bin/node)")
work=$(mktemp -d)
chmod 755 "$work" # the embedded PostgreSQL runs as `postgres` when this runs as root
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cp -r package.json package-lock.json .npmrc dist scripts "$work"/
cd "$work"
PATH="$node22_dir:$PATH" npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null
export DATA_DIR="$work/.data" MAIL_DIR="$work/mail" NODE_ENV=production PORT=0 LOG_LEVEL=info

# An older Node, where the machine has one: a clear refusal, exit 1.
old_node=$(which -a node 2>/dev/null | while read -r candidate; do
  major=$("$candidate" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 99)
  [ "$major" -lt 22 ] && { echo "$candidate"; break; }
done || true)
if [ -n "$old_node" ]; then
  if PATH="$(dirname "$old_node"):/usr/bin:/bin" npm run --silent start:prod >"$work/old.log" 2>&1; then
    echo "start:prod ran on $("$old_node" --version)"; exit 1
  fi
  grep -q 'Collegia needs Node.js' "$work/old.log" || { cat "$work/old.log"; exit 1; }
  echo "check-prod: $("$old_node" --version) refused with a clear message"
fi

# Node 22 first on the PATH, no dev dependency: migrate, serve, stop on SIGTERM to npm's PID.
export PATH="$node22_dir:$PATH"
npm run --silent migrate:prod >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
npm run --silent start:prod >"$work/start.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  grep -q 'serves GraphQL' "$work/start.log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/start.log"; exit 1; }
  sleep 0.5
done
url=$(grep -o 'http://[^"]*/graphql' "$work/start.log" | head -1)
[ -n "$url" ] || { cat "$work/start.log"; exit 1; }
node -e "fetch('${url%/graphql}/readyz').then(async (r) => { if (r.status !== 200) { console.error(r.status, await r.text()); process.exit(1); } })"
kill -TERM "$pid"
wait "$pid"
pid=
grep -q '"msg":"stopped"' "$work/start.log" || { cat "$work/start.log"; exit 1; }
echo "check-prod: production dependencies only, $(node --version): migrated, served, stopped on SIGTERM"
