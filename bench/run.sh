#!/usr/bin/env bash
# Throughput of a single MailIngest node (SQLite) against postfix's smtp-sink (accepts and discards) as the
# baseline, both driven by postfix's smtp-source with the same load, in one invocation. Figures are reported
# as messages/s and as the ratio MailIngest/smtp-sink, since this machine is shared and noisy.
# Usage: bench/run.sh [messages] [sessions] [size-bytes] [recipients]
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-2000}; sessions=${2:-20}; size=${3:-4096}; recipients=${4:-1}

if ! command -v smtp-source >/dev/null || ! command -v smtp-sink >/dev/null; then
  echo "postfix main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postfix >/dev/null
fi
export PATH="$PATH:/usr/sbin"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 did not open" >&2; return 1; }

# One load run; prints messages per second.
load() {
  local port=$1 start end
  start=$(date +%s.%N)
  smtp-source -c -s "$sessions" -m "$messages" -l "$size" -r "$recipients" -f bench@example.org -t rcpt@example.com \
    "127.0.0.1:$port" > "$work/source-$port.log" 2>&1
  end=$(date +%s.%N)
  python3 -c "print(f'{$messages / ($end - $start):.0f}')"
}

dotnet publish src/MailIngest.Host -c Release -o "$work/host" >/dev/null

sink_port=$(free_port)
smtp-sink -u nobody -c "127.0.0.1:$sink_port" 256 & pids+=($!)
wait_port "$sink_port"

smtp_port=$(free_port); admin_port=$(free_port)
MailIngest__Smtp__Port=$smtp_port MailIngest__Admin__Port=$admin_port MailIngest__Cluster__Port=0 \
MailIngest__Storage__DataDirectory="$work/data" Logging__LogLevel__Default=Warning \
  dotnet "$work/host/MailIngest.Host.dll" > "$work/host.log" 2>&1 & pids+=($!)
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$admin_port/readyz" >/dev/null && break; sleep 0.2; done

# Warm-up (JIT, connection pools, first shard allocation), then the measured runs.
messages_saved=$messages; messages=200; load "$smtp_port" >/dev/null; messages=$messages_saved

sink_rate=$(load "$sink_port")
ingest_rate=$(load "$smtp_port")
accepted=$(curl -fs "http://127.0.0.1:$admin_port/status" | python3 -c 'import json,sys; s=json.load(sys.stdin)["smtp"]; print(s["accepted"], s["deferred"])')

echo "load: $messages messages, $sessions sessions, $size bytes, $recipients recipient(s) per message"
echo "smtp-sink (baseline): $sink_rate msg/s"
echo "MailIngest (SQLite):  $ingest_rate msg/s  (accepted, deferred incl. warm-up: $accepted)"
python3 -c "print(f'ratio MailIngest/smtp-sink: {$ingest_rate / $sink_rate:.3f}')"
