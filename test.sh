#!/usr/bin/env bash
# The project's test command: installs what is missing, starts a throwaway PostgreSQL 15 cluster and Azurite,
# builds the solution, runs every test with snapshot strict mode, prints "N passed, N failed", stops the services.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
SLN=Ogaki.Migration.sln
t0=$SECONDS; step() { echo "== [$((SECONDS - t0))s] $*"; }

free_port() { # first free TCP port at or above $1
  local p=$1
  while (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

PGVER=15; PGBIN=/usr/lib/postgresql/$PGVER/bin
if [ ! -x "$PGBIN/initdb" ]; then
  step "apt-get install postgresql"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
command -v iconv >/dev/null || { step "apt-get install libc-bin (iconv)"; apt-get update -qq; apt-get install -y -qq libc-bin >/dev/null; }
command -v node >/dev/null || { step "apt-get install nodejs npm"; apt-get update -qq; apt-get install -y -qq nodejs npm >/dev/null; }
# Headless Chromium renders the HTML report in a test; the CJK fonts are the ones the report names first.
command -v chromium >/dev/null || { step "apt-get install chromium"; apt-get update -qq; apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
# pgloader is the load's peer in the end-to-end benchmark (run below at a tiny scale so its path cannot rot).
command -v pgloader >/dev/null || { step "apt-get install pgloader"; apt-get update -qq; apt-get install -y -qq --no-install-recommends pgloader >/dev/null || echo "pgloader not available: the e2e harness notes it and goes on"; }
[ -d /usr/share/fonts/opentype/noto ] || { step "apt-get install fonts-noto-cjk"; apt-get update -qq; apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null || echo "fonts-noto-cjk not available: CJK text renders in a fallback font"; }

PGPORT=$(free_port "${PGPORT:-55432}")
AZPORT=$(free_port "${AZPORT:-10000}")
PGDATA=$(mktemp -d /tmp/ogaki-pg.XXXXXX); AZDIR=$(mktemp -d /tmp/ogaki-azurite.XXXXXX); AZPID=
BENCHDIR=$(mktemp -d /tmp/ogaki-bench.XXXXXX); ROOT=$(pwd)
TESTLOG=$(mktemp /tmp/ogaki-test.XXXXXX)
cleanup() {
  set +e
  [ -n "$AZPID" ] && kill "$AZPID" 2>/dev/null && wait "$AZPID" 2>/dev/null
  [ -f "$PGDATA/postmaster.pid" ] && (cd /tmp && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null)
  rm -rf "$PGDATA" "$AZDIR" "$AZDIR.log" "$TESTLOG" "$BENCHDIR"
}
trap cleanup EXIT

step "start postgres on 127.0.0.1:$PGPORT"
chown postgres:postgres "$PGDATA"; chmod 700 "$PGDATA"
( cd /tmp
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -c unix_socket_directories=$PGDATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  # The test role may create databases: service tests each get their own.
  runuser -u postgres -- psql -h "$PGDATA" -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -q \
      -c "CREATE ROLE ci LOGIN CREATEDB PASSWORD 'ci_pw'" -c "CREATE DATABASE cidb OWNER ci" )
export PG_CONN="Host=127.0.0.1;Port=$PGPORT;Username=ci;Password=ci_pw;Database=cidb"

step "npm ci (tools/azurite)"
(cd tools/azurite && npm ci --no-audit --no-fund --loglevel=error)
step "start azurite on 127.0.0.1:$AZPORT"
tools/azurite/node_modules/.bin/azurite-blob --blobHost 127.0.0.1 --blobPort "$AZPORT" --location "$AZDIR" \
    --skipApiVersionCheck --loose --disableTelemetry --silent >"$AZDIR.log" 2>&1 &
AZPID=$!
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$AZPORT) 2>/dev/null && break; sleep 0.1; done
(exec 3<>/dev/tcp/127.0.0.1/$AZPORT) 2>/dev/null || { cat "$AZDIR.log"; echo "azurite did not start"; exit 1; }
export AZURE_BLOB_CONN="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZPORT/devstoreaccount1;"

# Report keys are pseudonymised with a secret from the environment; tests get a fresh one per run.
export OGAKI_PSEUDONYM_KEY="${OGAKI_PSEUDONYM_KEY:-$(head -c 24 /dev/urandom | base64)}"

step "dotnet restore"; dotnet restore "$SLN"
step "dotnet build";   dotnet build "$SLN" -c Release --no-restore
step "dotnet test"
export SNAPSHOOTER_STRICT_MODE=true
set +e
dotnet test "$SLN" -c Release --no-build 2>&1 | tee "$TESTLOG"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then   # show snapshot mismatches (the actual output) in the log
  find . -path '*/__snapshots__/__mismatch__/*' -type f | while read -r f; do echo "--- $f"; cat "$f"; echo; done
fi
# Every benchmark once in dry mode (and the e2e harness at a tiny scale) so none can rot; timings are not checked.
step "benchmarks (dry run)"
BENCHLOG="$BENCHDIR/bench.log"
if (cd "$BENCHDIR" && dotnet run -c Release --no-build --project "$ROOT/benchmarks/Ogaki.Migration.Benchmarks" -- \
      --filter '*' --job dry --inProcess --artifacts "$BENCHDIR/bdn" >"$BENCHLOG" 2>&1) \
   && dotnet run -c Release --no-build --project benchmarks/Ogaki.Migration.Benchmarks -- \
      e2e --scale 0.002 --work "$BENCHDIR/e2e" >>"$BENCHLOG" 2>&1; then
  echo "benchmarks: all ran"
else
  tail -60 "$BENCHLOG"; echo "benchmarks: a benchmark failed"; rc=1
fi
step "done"
# The plain summary line, printed last.
awk '/^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+/ { gsub(/,/, ""); f += $4; p += $6; s += $8 }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$TESTLOG"
exit "$rc"
