#!/usr/bin/env bash
# Three MailIngest nodes on this machine's loopback, sharing one PostgreSQL database.
#
#   MAILINGEST_PG='Host=127.0.0.1;Port=5432;Database=mailingest;Username=mailingest;Password=...' \
#     deploy/local-cluster.sh start      # builds, starts nodes 0-2, waits for /readyz
#   deploy/local-cluster.sh status       # /readyz of each node and the members seen by node 0
#   deploy/local-cluster.sh stop         # SIGTERM to each node by its PID file (graceful drain)
#
# Node i: SMTP 2525+i, admin 8080+i, Akka.Remote 4053+i, all on 127.0.0.1; node 0 is the seed.
# PIDs, logs and data folders go to $MAILINGEST_RUN (default ./.local-cluster).
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_DIR="${MAILINGEST_RUN:-$PWD/.local-cluster}"
NODES=3

start() {
  : "${MAILINGEST_PG:?set MAILINGEST_PG to an Npgsql connection string}"
  mkdir -p "$RUN_DIR"
  dotnet build src/MailIngest.Host -c Release -o "$RUN_DIR/bin" >"$RUN_DIR/build.log" 2>&1 \
    || { echo "build failed, see $RUN_DIR/build.log" >&2; exit 1; }
  for i in $(seq 0 $((NODES - 1))); do
    if [[ -f "$RUN_DIR/node$i.pid" ]] && kill -0 "$(cat "$RUN_DIR/node$i.pid")" 2>/dev/null; then
      echo "node$i already runs (PID $(cat "$RUN_DIR/node$i.pid"))"; continue
    fi
    mkdir -p "$RUN_DIR/node$i"
    MailIngest__Storage__Provider=PostgreSql \
    MailIngest__Storage__ConnectionString="$MAILINGEST_PG" \
    MailIngest__Storage__DataDirectory="$RUN_DIR/node$i" \
    MailIngest__Smtp__Port=$((2525 + i)) \
    MailIngest__Admin__Port=$((8080 + i)) \
    MailIngest__Cluster__HostName=127.0.0.1 \
    MailIngest__Cluster__Port=$((4053 + i)) \
    MailIngest__Cluster__Seeds__0=127.0.0.1:4053 \
      nohup dotnet "$RUN_DIR/bin/MailIngest.Host.dll" >"$RUN_DIR/node$i.log" 2>&1 &
    echo $! >"$RUN_DIR/node$i.pid"
    echo "node$i PID $! smtp 127.0.0.1:$((2525 + i)) admin http://127.0.0.1:$((8080 + i))"
  done
  for i in $(seq 0 $((NODES - 1))); do
    for _ in $(seq 1 120); do
      curl -fsS "http://127.0.0.1:$((8080 + i))/readyz" >/dev/null 2>&1 && break
      sleep 0.5
    done
  done
  status
}

stop() {
  for i in $(seq 0 $((NODES - 1))); do
    local file="$RUN_DIR/node$i.pid"
    [[ -f "$file" ]] || continue
    local pid; pid="$(cat "$file")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      # Drain grace (default 20 s) plus leaving the cluster.
      for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      if kill -0 "$pid" 2>/dev/null; then echo "node$i (PID $pid) still runs after 40 s" >&2; else echo "node$i stopped"; fi
    fi
    rm -f "$file"
  done
}

status() {
  for i in $(seq 0 $((NODES - 1))); do
    printf 'node%s /readyz: %s\n' "$i" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((8080 + i))/readyz" || true)"
  done
  curl -s http://127.0.0.1:8080/status | python3 -c '
import json, sys
s = json.load(sys.stdin)
for m in s["members"]: print(f"  {m[\"address\"]} {m[\"status\"]} reachable={m[\"reachable\"]}")
for r in s["shards"] if isinstance(s["shards"], list) else []: print(f"  {r[\"node\"]}: {r[\"shardCount\"]} shards, {r[\"entityCount\"]} entities")
' 2>/dev/null || echo "  node0 /status not available"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
