#!/usr/bin/env bash
# MailIngest against its peers, in one invocation on loopback, with the same load for every server:
#   smtp-sink      postfix's sink: accepts and discards (the protocol ceiling)
#   postfix        a private Postfix smtpd instance (own config and queue; cleanup fsyncs each queue file before
#                  250; discard transport; no throttling)
#   haraka         Haraka 3.3 (npm), 2 workers, bench/haraka/plugins/queue_fsync.js: a file per message, fsync, 250
#   mi-sqlite      MailIngest, one node, SQLite (synchronous=FULL)
#   mi-pg          MailIngest, one node, on a throwaway PostgreSQL (synchronous_commit=on)
# Loads are driven by postfix's smtp-source: <new|reuse>-<recipients>-<size>, e.g. new-1-4k (a new connection per
# message, 1 recipient, 4 KiB), reuse-5-64k (connections reused, 5 recipients, 64 KiB). For each load every server
# runs in turn, so figures taken minutes apart on this noisy machine are still compared side by side.
#
# Usage: bench/run.sh                 quick set (new-1-4k, new-5-4k, reuse-1-4k; then one known mailbox against every
#                                     message to a new address, on each MailIngest), about 7 minutes
#        bench/run.sh full            every load (new|reuse x 1|5 recipients x 4k|64k), about 15 minutes
#        bench/run.sh scale           MailIngest alone (SQLite): RSS with 10 000 idle connections, msgs/s with 1,
#                                     1 000 and 100 000 mailboxes, recovery of a mailbox holding 100 000 messages
#        bench/run.sh downstream      MailIngest (SQLite) without and with a webhook to a loopback sink: ingest rate
#                                     of each, then the feed read rate and the webhook's delivery rate
#        bench/run.sh soak            MailIngest alone (SQLite): BENCH_SOAK (1 000 000) messages into one mailbox
#                                     in rounds of a tenth, rate/RSS/snapshot size per round, then restart,
#                                     recovery and paging (first, middle, last page, oldest message by id)
#        bench/run.sh addresses       MailIngest alone (SQLite): BENCH_ADDRESSES (1 000 000) distinct recipient addresses,
#                                     never seen before, in ten rounds of messages with 5 recipients each (new connection
#                                     per message, 4 KiB); rate, RSS and live mailbox entities after each round, then
#                                     after the idle passivation has had time to run; about 6 minutes here
#        bench/run.sh scaleout        1, 2 and 3 MailIngest nodes as one cluster on a throwaway PostgreSQL (a fresh
#                                     database for each count), every node in a CPU cgroup of its own capped at
#                                     BENCH_QUOTA cores (default 0.3; cgroup v1, as root); the same load for every
#                                     count (BENCH_MESSAGES, default 6000, over 1000 mailboxes, BENCH_SESSIONS
#                                     connections, default 24, split evenly over the nodes' SMTP ports; new connection
#                                     per message, 4 KiB) after a warm-up of BENCH_WARMUP (default 15000) messages per
#                                     node: msgs/s and the ratios 2/1 and 3/1, CPU ms/msg of each node and of
#                                     PostgreSQL, delivery resends; then the same load with every message to a new
#                                     address (rate against the known mailboxes' and p50); about 15 minutes (a node
#                                     warmed less runs far slower: docs/performance.md). BENCH_NODES="1 2 3" picks counts.
#        bench/run.sh cold            a freshly started MailIngest (SQLite) per runtime setting in BENCH_COLD_VARIANTS
#                                     (default: "default DOTNET_TieredPGO=0 DOTNET_TieredCompilation=0"; the variant
#                                     ReadyToRun runs a build published with ReadyToRun code instead; prewarm-N sends
#                                     N messages first, what a synthetic warm-up before /readyz would do): time and CPU
#                                     to /readyz, the rate of its first 3 000 messages against its rate after 20 000
#                                     (20 connections, new connection per message, 4 KiB, 100 mailboxes); ~10 minutes
#        bench/run.sh retention       MailIngest alone (SQLite) with Retention:MaxAge BENCH_RETENTION_AGE (00:01:00): a steady
#                                     BENCH_RETENTION_RATE (200) msg/s over 100 mailboxes (new connection per message,
#                                     4 KiB) for BENCH_RETENTION_MINUTES (30); each minute the files' sizes, the journal
#                                     rows and bodies kept, messages expired and RSS: storage must stop growing
#        bench/run.sh auth            MailIngest (SQLite) with Authentication:Mode Off and Record: one DKIM-signed 4 KiB message
#                                     (dkimpy, 2048-bit RSA) through loadgen, dnsmasq on loopback answering SPF, DKIM and DMARC
#                                     (dnsmasq-base); rate, CPU per message, p50 and DNS queries per run, rounds alternating
#        bench/run.sh milter          MailIngest (SQLite) without a milter, with a no-op milter (bench/milter/noop_milter.c,
#                                     libmilter) that ends with CONTINUE (mi-milter: its connections pooled) or with ACCEPT
#                                     (mi-milter-accept: a connection per message), and with SpamAssassin (spamass-milter
#                                     and spamd, local tests only), each milter in a network namespace of its own on a Unix socket;
#                                     new-1-4k and reuse-1-4k; rates, CPU (+ the milter's) and the ratios to no milter
#        BENCH_LOADS="new-1-4k" BENCH_SERVERS="haraka mi-sqlite" bench/run.sh
# Other knobs: BENCH_MESSAGES (per run, default 4000), BENCH_SESSIONS (20), BENCH_WARMUP (messages sent to each
# MailIngest first: JIT tiering makes the first ~15 000 cost more; default 15000).
# Prints one markdown table. Stops what it started (by PID) on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

mode=${1:-quick}
case "$mode" in
  quick) default_loads="new-1-4k new-5-4k reuse-1-4k" ;;
  full) default_loads="new-1-4k new-5-4k new-1-64k new-5-64k reuse-1-4k reuse-5-4k reuse-1-64k reuse-5-64k" ;;
  scale|soak|addresses) default_loads=""; BENCH_SERVERS=${BENCH_SERVERS:-mi-sqlite} ;;
  retention) default_loads=""; BENCH_SERVERS=mi-retain ;;
  milter) default_loads="new-1-4k reuse-1-4k"; BENCH_SERVERS=${BENCH_SERVERS:-"mi-sqlite mi-milter mi-milter-accept mi-spam"} ;;
  downstream) default_loads=""; BENCH_SERVERS=${BENCH_SERVERS:-"mi-sqlite mi-hook"} ;;
  auth) default_loads=""; BENCH_SERVERS=${BENCH_SERVERS:-"mi-sqlite mi-auth"} ;;
  scaleout|cold) default_loads="" ;;
  *) echo "usage: bench/run.sh [quick|full|scale|soak|addresses|downstream|scaleout|cold|retention|milter|auth]" >&2; exit 2 ;;
esac
loads=${BENCH_LOADS:-$default_loads}
servers=${BENCH_SERVERS:-"smtp-sink postfix haraka mi-sqlite mi-pg"}
messages=${BENCH_MESSAGES:-4000}
sessions=${BENCH_SESSIONS:-20}
warmup=${BENCH_WARMUP:-15000}
# cold and scaleout start their own nodes (scaleout also PostgreSQL) below, none of the servers above.
[[ "$mode" == cold ]] && { servers=""; warmup=0; }
# The retention curve starts from an empty store: no warm-up mail to expire in its first minute.
[[ "$mode" == retention ]] && warmup=0
[[ "$mode" == scaleout ]] && { servers=""; messages=${BENCH_MESSAGES:-6000}; sessions=${BENCH_SESSIONS:-24}; }
run_timeout=300
export PATH="$PATH:/usr/sbin"
# 10 000 idle connections need as many descriptors in the server and in the load generator (both inherit this).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# --- tools ------------------------------------------------------------------------------------------------------
need_apt=()
command -v smtp-source >/dev/null || need_apt+=(postfix)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v npm >/dev/null || need_apt+=(npm)
if [[ " $servers " == *" mi-milter"* ]]; then
  [[ -e /usr/include/libmilter/mfapi.h ]] || need_apt+=(libmilter-dev)
  command -v cc >/dev/null || need_apt+=(gcc libc6-dev)
fi
if [[ " $servers " == *" mi-auth "* ]]; then
  command -v dnsmasq >/dev/null || need_apt+=(dnsmasq-base)
  /usr/bin/python3 -c 'import dkim' 2>/dev/null || need_apt+=(python3-dkim)
fi
if ((${#need_apt[@]})); then
  echo "postfix main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
haraka_home=${XDG_CACHE_HOME:-$HOME/.cache}/mailingest-bench/haraka
if [[ " $servers " == *" haraka "* && ! -x "$haraka_home/node_modules/.bin/haraka" ]]; then
  mkdir -p "$haraka_home"
  (cd "$haraka_home" && npm install --no-audit --no-fund --silent Haraka@3.3.4 >/dev/null)
fi

work=$(mktemp -d /tmp/mailingest-bench.XXXXXX)
chmod 755 "$work"
pids=()
postfix_dir=""
pg_data=""
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
cgroups=()
cleanup() {
  # A milter's unshare forwards SIGTERM to the namespace's init, which ignores it: SIGKILL the unshare, whose
  # --kill-child then takes the whole namespace down.
  for pid in "${milter_pid[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -n "$postfix_dir" ]] && postfix -c "$postfix_dir/etc" stop >/dev/null 2>&1 || true
  [[ -n "$pg_data" ]] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1 || true
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  # CPU cgroups of scaleout's nodes (empty once their processes are gone).
  for group in "${cgroups[@]}"; do rmdir "$group" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 did not open" >&2; return 1; }
# utime+stime, plus the times of children the process has reaped (spamd's and PostgreSQL's come and go).
cpu_ticks() { local t=0 p; for p in "$@"; do [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{print $14+$15+$16+$17}' "/proc/$p/stat"))); done; echo "$t"; }

declare -A port mi_pid mi_admin milter_pid

# --- servers ----------------------------------------------------------------------------------------------------
start_sink() {
  port[smtp-sink]=$(free_port)
  smtp-sink -u nobody -c "127.0.0.1:${port[smtp-sink]}" 256 > "$work/sink.log" 2>&1 & pids+=($!)
  wait_port "${port[smtp-sink]}"
}

start_postfix() {
  postfix_dir=$work/postfix
  port[postfix]=$(free_port)
  mkdir -p "$postfix_dir/etc" "$postfix_dir/queue" "$postfix_dir/data"
  chown postfix "$postfix_dir/data"
  cat > "$postfix_dir/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $postfix_dir/queue
data_directory = $postfix_dir/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = /dev/stdout
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = bench.invalid
mydestination =
relay_domains = example.com
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
default_transport = discard
relay_transport = discard
local_transport = discard
alias_maps =
alias_database =
in_flow_delay = 0
smtpd_client_connection_rate_limit = 0
smtpd_client_message_rate_limit = 0
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
default_process_limit = 200
EOF
  # The packaged master.cf with smtpd on our port and nothing chrooted (the queue is outside /var/spool/postfix).
  sed -e "s/^smtp      inet  n       -       y       -       -       smtpd/127.0.0.1:${port[postfix]} inet n - n - - smtpd/" \
      -e 's/^\([a-z]*\)\(\s\+\)\(unix\|fifo\)\(\s\+\)\([-n]\)\(\s\+\)\([-n]\)\(\s\+\)[-y]/\1\2\3\4\5\6\7\8n/' \
      /usr/share/postfix/master.cf.dist > "$postfix_dir/etc/master.cf"
  echo "postlog   unix-dgram n  -       n       -       1       postlogd" >> "$postfix_dir/etc/master.cf"
  postfix -c "$postfix_dir/etc" start > "$work/postfix-start.log" 2>&1 || { cat "$work/postfix-start.log" >&2; return 1; }
  wait_port "${port[postfix]}"
}

start_haraka() {
  local dir=$work/haraka
  port[haraka]=$(free_port)
  "$haraka_home/node_modules/.bin/haraka" -i "$dir" >/dev/null
  cp "$repo/bench/haraka/plugins/queue_fsync.js" "$dir/plugins/"
  echo queue_fsync > "$dir/config/plugins"
  printf 'listen=127.0.0.1:%s\nnodes=2\npublic_ip=127.0.0.1\n' "${port[haraka]}" > "$dir/config/smtp.ini"
  printf '[main]\nlevel=warn\n' > "$dir/config/log.ini"
  echo bench.invalid > "$dir/config/me"
  HARAKA_QUEUE_DIR=$dir/queue "$haraka_home/node_modules/.bin/haraka" -c "$dir" > "$work/haraka.log" 2>&1 & pids+=($!)
  wait_port "${port[haraka]}"
}

start_postgres() {
  pg_data=$work/pg/data
  pg_port=$(free_port)
  mkdir -p "$work/pg/socket"
  chown -R postgres "$work/pg"
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg/log" -w \
    -o "-p $pg_port -k $work/pg/socket -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  pg_connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Max Auto Prepare=20"
}

start_mailingest() {
  local name=$1 provider=$2 connection=${3:-} sp ap
  shift $(($# < 3 ? $# : 3))
  sp=$(free_port); ap=$(free_port)
  port[$name]=$sp; mi_admin[$name]=$ap
  env MailIngest__Authentication__Mode=Off "$@" MailIngest__Smtp__Port="$sp" MailIngest__Admin__Port="$ap" MailIngest__Cluster__Port=0 \
      MailIngest__Storage__DataDirectory="$work/$name" Logging__LogLevel__Default=Warning \
      MailIngest__Storage__Provider="$provider" MailIngest__Storage__ConnectionString="$connection" \
      dotnet "${host_dir:-$work/host}/MailIngest.Host.dll" > "$work/$name.log" 2>&1 & pids+=($!)
  mi_pid[$name]=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$ap/readyz" >/dev/null && break; sleep 0.2; done
  curl -fs "http://127.0.0.1:$ap/readyz" >/dev/null || { echo "$name did not become ready:" >&2; tail -20 "$work/$name.log" >&2; return 1; }
  ((warmup == 0)) || timeout $run_timeout smtp-source -s "$sessions" -m "$warmup" -l 4096 -f bench@example.org \
    -t warm@example.com "127.0.0.1:$sp" >/dev/null 2>&1
}

# A milter in a network namespace of its own (nothing it does can leave the machine), on a Unix socket: $1 names it,
# the rest is the shell command that starts it; returns once the socket is there.
start_milter() {
  local name=$1; shift
  unshare --net --pid --kill-child -- sh -c "ip link set lo up; $*" > "$work/$name-milter.log" 2>&1 & pids+=($!)
  milter_pid[$name]=$!
  for _ in $(seq 1 300); do [[ -S "$work/$name.sock" ]] && return 0; sleep 0.2; done
  echo "milter $name did not start:" >&2; tail -20 "$work/$name-milter.log" >&2; return 1
}

# The authentication bench's world on loopback: dnsmasq answering only its own records (no upstream, no hosts file,
# TTL 300 s), with example.org's SPF (loopback allowed), DMARC (p=reject) and a 2048-bit DKIM key, and a 4 KiB message
# signed with that key by dkimpy (relaxed/relaxed), which the load generator sends with a numbering field on top.
start_auth_dns() {
  openssl genrsa -out "$work/dkim.key" 2048 2>/dev/null
  local key; key=$(openssl rsa -in "$work/dkim.key" -pubout -outform DER 2>/dev/null | base64 -w0)
  /usr/bin/python3 - "$work" <<'PY'
import dkim, sys
work = sys.argv[1]
body = "".join(("".join(chr(97 + (line + i) % 26) for i in range(76)) + "\r\n") for line in range(52))
message = ("From: <loadgen@example.org>\r\nTo: <user@bench.example>\r\nSubject: signed load\r\n"
           "Date: Mon, 07 Dec 2026 12:00:00 +0000\r\nMessage-ID: <signed-load@example.org>\r\n\r\n" + body).encode()
signature = dkim.sign(message, b"bench", b"example.org", open(f"{work}/dkim.key", "rb").read(),
                      canonicalize=(b"relaxed", b"relaxed"), include_headers=[b"from", b"to", b"subject", b"date", b"message-id"])
open(f"{work}/signed.eml", "wb").write(signature.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n") + message)
PY
  dns_port=$(free_port)
  dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --no-poll --bind-interfaces \
    --listen-address=127.0.0.1 --port="$dns_port" --local-ttl=300 --user=root --pid-file= \
    --txt-record=example.org,"v=spf1 ip4:127.0.0.0/8 -all" --txt-record=_dmarc.example.org,"v=DMARC1; p=reject" \
    --txt-record=bench._domainkey.example.org,"v=DKIM1; k=rsa; p=${key:0:200}","${key:200}" > "$work/dnsmasq.log" 2>&1 & pids+=($!)
}

process_tree() { echo "$1"; local child; for child in $(pgrep -P "$1" || true); do process_tree "$child"; done; }

accepted() { curl -fs "http://127.0.0.1:${mi_admin[$1]}/status" | python3 -c 'import json,sys; s=json.load(sys.stdin)["smtp"]; print(s["accepted"], s["deferred"])'; }

echo "building and starting: $servers" >&2
dotnet publish src/MailIngest.Host -c Release -o "$work/host" >/dev/null
dotnet build bench/MailIngest.LoadGen -c Release -o "$work/loadgen" >/dev/null
loadgen() { dotnet "$work/loadgen/MailIngest.LoadGen.dll" "$@"; }
for server in $servers; do
  case "$server" in
    smtp-sink) start_sink ;;
    postfix) start_postfix ;;
    haraka) start_haraka ;;
    mi-sqlite) start_mailingest mi-sqlite Sqlite ;;
    mi-retain) start_mailingest mi-retain Sqlite "" MailIngest__Retention__MaxAge="${BENCH_RETENTION_AGE:-00:01:00}" ;;
    mi-pg) start_postgres
           start_mailingest mi-pg PostgreSql "$pg_connection" ;;
    # A webhook for the hook.example copies only (the warm-up goes to example.com), to a sink that answers 200.
    mi-hook) sink_port=$(free_port)
             python3 - "$sink_port" > "$work/hook-sink.log" 2>&1 <<'PY' & pids+=($!); sink_pid=$!
import http.server, sys, threading, time
count, first, last, lock = 0, 0.0, 0.0, threading.Lock()
class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        global count, first, last
        self.rfile.read(int(self.headers["Content-Length"]))
        with lock:
            count += 1; last = time.time(); first = first or last
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def do_GET(self):
        body = f"{count} {first} {last}".encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
             wait_port "$sink_port"
             start_mailingest mi-hook Sqlite "" MailIngest__Webhooks__0__Name=bench \
               MailIngest__Webhooks__0__Url="http://127.0.0.1:$sink_port/hook" \
               MailIngest__Webhooks__0__Secret=bench-webhook-secret-0123 MailIngest__Webhooks__0__Domains__0=hook.example ;;
    mi-milter|mi-milter-accept)
               verdict=continue; [[ "$server" == mi-milter-accept ]] && verdict=accept
               [[ -x "$work/noop_milter" ]] || cc -O2 -o "$work/noop_milter" "$repo/bench/milter/noop_milter.c" -lmilter -lpthread
               start_milter "$server" "exec $work/noop_milter unix:$work/$server.sock $verdict"
               start_mailingest "$server" Sqlite "" MailIngest__Milters__0__Name=noop \
                 MailIngest__Milters__0__Address="unix:$work/$server.sock" ;;
    # spamd with local tests only (no DNS or network checks, no Bayes), as nobody; spamass-milter adds X-Spam-* headers.
    mi-spam) start_milter mi-spam "spamd --local --nouser-config -u nobody -g nogroup --syslog stderr --listen 127.0.0.1 \
               --port 783 --cf 'use_bayes 0' --cf 'bayes_auto_learn 0' & \
               until spamc -K -d 127.0.0.1 -p 783 >/dev/null 2>&1; do sleep 0.2; done; \
               exec spamass-milter -p $work/mi-spam.sock -m -- -d 127.0.0.1 -p 783"
             # SpamAssassin takes tens of messages a second: the usual warm-up would outlast the run timeout.
             warmup=$((warmup < 2000 ? warmup : 2000)) start_mailingest mi-spam Sqlite "" MailIngest__Milters__0__Name=spamassassin \
               MailIngest__Milters__0__Address="unix:$work/mi-spam.sock" ;;
    mi-auth) start_auth_dns
             start_mailingest mi-auth Sqlite "" MailIngest__Authentication__Mode=Record MailIngest__Dns__Servers__0="127.0.0.1:$dns_port" ;;
    *) echo "unknown server $server" >&2; exit 2 ;;
  esac
done

# --- loads ------------------------------------------------------------------------------------------------------
# One run: prints "rate cpu_ms_per_msg rss_mb extra_cpu_ms_per_msg" (the last three only for MailIngest).
# The processes whose CPU is added to a MailIngest's: its PostgreSQL, its milter (read at the start and at the end of
# a run: a process that died in between is in its parent's reaped-children time).
extra_pids() {
  if [[ "$1" == mi-pg ]]; then
    local postmaster; postmaster=$(head -1 "$pg_data/postmaster.pid")
    echo "$postmaster" $(pgrep -P "$postmaster" || true)
  elif [[ -n "${milter_pid[$1]:-}" ]]; then
    process_tree "${milter_pid[$1]}"
  fi
}

run_load() {
  local server=$1 reuse=$2 rcpts=$3 size=$4 watched=() c0 e0 t0 t1 c1 e1 before after
  # SpamAssassin scans tens of messages a second: a smaller run keeps it within the run timeout.
  local messages=$messages; [[ "$server" == mi-spam ]] && messages=$((messages < 1000 ? messages : 1000))
  if [[ -n "${mi_pid[$server]:-}" ]]; then
    watched=("${mi_pid[$server]}")
    before=$(accepted "$server")
  fi
  c0=$(cpu_ticks "${watched[@]}"); e0=$(cpu_ticks $(extra_pids "$server")); t0=$(date +%s.%N)
  timeout $run_timeout smtp-source $reuse -s "$sessions" -m "$messages" -l "$size" -r "$rcpts" \
    -f bench@example.org -t rcpt@example.com "127.0.0.1:${port[$server]}" > "$work/source.log" 2>&1 || true
  t1=$(date +%s.%N); c1=$(cpu_ticks "${watched[@]}"); e1=$(cpu_ticks $(extra_pids "$server"))
  if [[ -n "${mi_pid[$server]:-}" ]]; then
    after=$(accepted "$server")
    read -r a0 d0 <<< "$before"; read -r a1 d1 <<< "$after"
    (( a1 - a0 == messages && d1 == d0 )) || echo "warning: $server accepted $((a1 - a0)) of $messages, deferred $((d1 - d0))" >&2
    local rss; rss=$(awk '/VmRSS/{print $2}' "/proc/${mi_pid[$server]}/status")
    python3 -c "print(f'{$messages/($t1-$t0):.0f} {($c1-$c0)*10/$messages:.3f} {$rss/1024:.0f} {($e1-$e0)*10/$messages:.3f}')"
  else
    python3 -c "print(f'{$messages/($t1-$t0):.0f} - - -')"
  fi
}

size_of() { case "$1" in 4k) echo 4096 ;; 64k) echo 65536 ;; *) echo "$1" ;; esac; }

header="| load |"; rule="|---|"
for server in $servers; do header+=" $server msg/s |"; rule+="---|"; done
[[ " $servers " == *" mi-sqlite "* ]] && { header+=" mi-sqlite CPU ms/msg, RSS |"; rule+="---|"; }
[[ " $servers " == *" mi-pg "* ]] && { header+=" mi-pg CPU ms/msg (+postgres), RSS |"; rule+="---|"; }
for filtered in mi-milter mi-milter-accept mi-spam; do
  if [[ " $servers " == *" $filtered "* ]]; then header+=" $filtered CPU ms/msg (+milter), RSS |"; rule+="---|"; fi
done
header+=" ratios |"; rule+="---|"
rows=()
for load in $loads; do
  IFS=- read -r kind rcpts size <<< "$load"
  reuse=""; [[ "$kind" == reuse ]] && reuse="-d"
  declare -A rate=() detail=()
  for server in $servers; do
    echo "load $load: $server" >&2
    read -r r cpu rss extra <<< "$(run_load "$server" "$reuse" "$rcpts" "$(size_of "$size")")"
    rate[$server]=$r
    [[ "$cpu" != - ]] && detail[$server]="$cpu${extra:+ (+$extra)}, ${rss} MB"
  done
  row="| $load |"
  for server in $servers; do row+=" ${rate[$server]} |"; done
  [[ -n "${detail[mi-sqlite]:-}" ]] && row+=" ${detail[mi-sqlite]%% (+*}, ${detail[mi-sqlite]##*, } |"
  [[ -n "${detail[mi-pg]:-}" ]] && row+=" ${detail[mi-pg]} |"
  for filtered in mi-milter mi-milter-accept mi-spam; do
    if [[ -n "${detail[$filtered]:-}" ]]; then row+=" ${detail[$filtered]} |"; fi
  done
  ratios=""
  for filtered in mi-milter mi-milter-accept mi-spam; do
    if [[ -n "${rate[$filtered]:-}" && -n "${rate[mi-sqlite]:-}" ]]; then
      ratios+="$filtered/mi-sqlite $(python3 -c "print(f'{${rate[$filtered]}/${rate[mi-sqlite]}:.2f}')"); "
    fi
  done
  for mi in mi-sqlite mi-pg; do
    [[ -z "${rate[$mi]:-}" ]] && continue
    for peer in smtp-sink postfix haraka; do
      [[ -z "${rate[$peer]:-}" ]] && continue
      ratios+="$mi/$peer $(python3 -c "print(f'{${rate[$mi]}/${rate[$peer]}:.2f}')"); "
    done
  done
  row+=" ${ratios%; } |"
  rows+=("$row")
  unset rate detail
done

rss_mb() { awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$1/status"; }

# SIGTERM the node, start it again on the same data, and time readiness, the first page (the mailbox recovers),
# the middle and last pages and the oldest message by id (found by binary search in the journal).
restart_and_page() {
  local name=$1 mailbox=$2 admin=${mi_admin[$1]} start ready served total
  kill -TERM "${mi_pid[$name]}"; wait "${mi_pid[$name]}" 2>/dev/null || true
  start=$(date +%s.%N)
  env MailIngest__Smtp__Port="${port[$name]}" MailIngest__Admin__Port="$admin" MailIngest__Cluster__Port=0 \
      MailIngest__Storage__DataDirectory="$work/$name" Logging__LogLevel__Default=Warning \
      dotnet "$work/host/MailIngest.Host.dll" > "$work/$name-restart.log" 2>&1 & pids+=($!); mi_pid[$name]=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$admin/readyz" >/dev/null && break; sleep 0.1; done
  ready=$(date +%s.%N)
  total=$(curl -fs "http://127.0.0.1:$admin/api/mailboxes/$mailbox/messages?limit=10" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
  served=$(date +%s.%N)
  local url="http://127.0.0.1:$admin/api/mailboxes/$mailbox/messages" middle last oldest_id oldest
  middle=$(curl -s -o /dev/null -w '%{time_total}' "$url?offset=$((total / 2))&limit=10")
  last=$(curl -s -o /dev/null -w '%{time_total}' "$url?offset=$((total - 10))&limit=10")
  oldest_id=$(curl -fs "$url?offset=$((total - 1))&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  oldest=$(curl -s -o /dev/null -w '%{time_total}' "$url/$oldest_id")
  python3 -c "print(f'| restart with a mailbox of {$total} messages | ready {$ready-$start:.1f} s after start; first page (recovery) {($served-$ready)*1000:.0f} ms; middle page {float(\"$middle\")*1000:.0f} ms; last page {float(\"$last\")*1000:.0f} ms; oldest by id {float(\"$oldest\")*1000:.0f} ms; RSS {$(rss_mb "${mi_pid[$name]}")} MB |')"
}

if [[ "$mode" == scale ]]; then
  name=mi-sqlite; sp=${port[$name]}; pid=${mi_pid[$name]}
  echo "| scenario (MailIngest, SQLite) | result |"; echo "|---|---|"
  echo "scale: idle connections" >&2
  before=$(rss_mb "$pid")
  loadgen --port "$sp" --idle 10000 --seconds 120 > "$work/idle.log" & idle=$!; pids+=($idle)
  for _ in $(seq 1 600); do grep -q "IDLE open=" "$work/idle.log" && break; sleep 0.2; done
  sleep 2
  echo "| 10 000 idle connections after EHLO | $(grep -o 'open=[0-9]*' "$work/idle.log"), RSS $before MB before, $(rss_mb "$pid") MB with them |"
  kill "$idle"; wait "$idle" 2>/dev/null || true
  for mailboxes in 1 1000 100000; do
    echo "scale: $mailboxes mailboxes" >&2
    echo "| 20 000 messages over $mailboxes mailbox(es), 20 connections | $(loadgen --port "$sp" --messages 20000 --mailboxes "$mailboxes" | head -1) |"
  done
  echo "scale: a mailbox of 100 000 messages" >&2
  loadgen --port "$sp" --messages 100000 --mailboxes 1 --domain big.example --reuse > /dev/null
  restart_and_page mi-sqlite user0@big.example
  exit 0
fi

if [[ "$mode" == downstream ]]; then
  rounds=${BENCH_ROUNDS:-3}
  echo "| scenario (MailIngest, SQLite, $messages messages, $sessions sessions, new connection each, 4 KiB; median of $rounds rounds) | result |"; echo "|---|---|"
  declare -A ingest=() cpu=()
  sink_cpu=() delivery=() lag=()
  # Rounds alternate the two nodes, and each waits for the webhook to catch up, so both see the same machine.
  for round in $(seq 1 "$rounds"); do
    for name in mi-sqlite mi-hook; do
      echo "downstream: round $round, ingest $name" >&2
      t0=$(date +%s.%N); c0=$(cpu_ticks "${mi_pid[$name]}"); s0=$(cpu_ticks "$sink_pid")
      timeout $run_timeout smtp-source -s "$sessions" -m "$messages" -l 4096 -f bench@example.org -t rcpt@hook.example \
        "127.0.0.1:${port[$name]}" > "$work/source.log" 2>&1 || true
      t1=$(date +%s.%N); c1=$(cpu_ticks "${mi_pid[$name]}"); s1=$(cpu_ticks "$sink_pid")
      ingest[$name]+="$(python3 -c "print(f'{$messages/($t1-$t0):.1f}')") "
      cpu[$name]+="$(python3 -c "print(f'{($c1-$c0)*10/$messages:.3f}')") "
    done
    sink_cpu+=("$(python3 -c "print(f'{($s1-$s0)*10/$messages:.3f}')")")
    read -r before _ _ <<< "$(curl -fs "http://127.0.0.1:$sink_port/")"
    for _ in $(seq 1 3000); do read -r count first last <<< "$(curl -fs "http://127.0.0.1:$sink_port/")"; ((count >= round * messages)) && break; sleep 0.1; done
    # Deliveries of this round: from the load's start (t0 of mi-hook) to the last copy.
    delivery+=("$(python3 -c "print(f'{$messages/max($last-$t0,1e-3):.1f}')")")
    lag+=("$(python3 -c "print(f'{$last-$t1:.2f}')")")
  done
  median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.2f}')" "$@"; }
  base=$(median ${ingest[mi-sqlite]}); hook=$(median ${ingest[mi-hook]})
  echo "| ingest without a webhook (baseline) | $base msg/s (rounds: ${ingest[mi-sqlite]% }), node CPU $(median ${cpu[mi-sqlite]}) ms/msg |"
  echo "| ingest with a webhook sending every copy | $hook msg/s (rounds: ${ingest[mi-hook]% }; ratio to baseline $(python3 -c "print(f'{$hook/$base:.2f}')")), node CPU $(median ${cpu[mi-hook]}) ms/msg; the sink (Python, same 2 cores) $(median "${sink_cpu[@]}") ms/msg |"
  echo "| webhook deliveries | $count of $((rounds * messages)); $(median "${delivery[@]}") copies/s from the start of the load to the last copy (ratio to baseline ingest $(python3 -c "print(f'{$(median "${delivery[@]}")/$base:.2f}')")); last copy $(median "${lag[@]}") s after the load ended |"
  echo "downstream: feed read" >&2
  admin=${mi_admin[mi-sqlite]}
  read -r copies seconds <<< "$(python3 - "$admin" <<'PY'
import json, sys, time, urllib.request
after, copies, start = 0, 0, time.time()
while True:
    page = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/feed?after={after}&limit=1000"))
    if not page["items"]: break
    copies += len(page["items"]); after = page["next"]
print(copies, time.time() - start)
PY
)"
  echo "| /api/feed read from the start, pages of 1000 | $copies copies in $(printf '%.1f' "$seconds") s: $(python3 -c "print(f'{$copies/$seconds:.0f} copies/s, ratio to baseline ingest {$copies/$seconds/$base:.1f}')") |"
  exit 0
fi

if [[ "$mode" == retention ]]; then
  name=mi-retain; sp=${port[$name]}; rate=${BENCH_RETENTION_RATE:-200}; minutes=${BENCH_RETENTION_MINUTES:-30}
  kib() { local total=0 f; for f in "$@"; do [[ -f $f ]] && total=$((total + $(stat -c %s "$f"))); done; echo $((total / 1024)); }
  expired() { curl -fs "http://127.0.0.1:${mi_admin[$name]}/metrics" | awk '$1 == "mailingest_messages_expired" { print $2 }'; }
  echo "Retention:MaxAge ${BENCH_RETENTION_AGE:-00:01:00}, $rate msg/s over 100 mailboxes, new connection per message, 4 KiB"
  echo; echo "| minute | sent so far | journal KiB (db+wal) | journal rows | content KiB (db+wal) | bodies | snapshots KiB | expired | RSS |"
  echo "|---|---|---|---|---|---|---|---|---|"
  sent=0
  for minute in $(seq 1 "$minutes"); do
    echo "retention: minute $minute" >&2
    result=$(loadgen --port "$sp" --messages $((rate * 60)) --rate "$rate" --mailboxes 100 --domain retain.example --seconds 90 | head -1)
    sent=$((sent + $(echo "$result" | awk '{print $1}')))
    rows=$(python3 -c "import sqlite3; print(sqlite3.connect('$work/$name/mailingest.db').execute('select count(*) from journal').fetchone()[0])")
    bodies=$(python3 -c "import sqlite3; print(sqlite3.connect('$work/$name/content.db').execute('select count(*) from mail_content').fetchone()[0])")
    echo "| $minute | $sent | $(kib "$work/$name/mailingest.db" "$work/$name/mailingest.db-wal") | $rows | $(kib "$work/$name/content.db" "$work/$name/content.db-wal") | $bodies | $(kib "$work/$name/snapshots.db" "$work/$name/snapshots.db-wal") | $(expired) | $(rss_mb "${mi_pid[$name]}") MB |"
  done
  exit 0
fi

if [[ "$mode" == soak ]]; then
  name=mi-sqlite; sp=${port[$name]}; total=${BENCH_SOAK:-1000000}; round=$((total / 10))
  echo "| messages in the mailbox | rate of the last $round | RSS | snapshot bytes |"; echo "|---|---|---|---|"
  for i in $(seq 1 10); do
    echo "soak: round $i" >&2
    result=$(loadgen --port "$sp" --messages "$round" --mailboxes 1 --domain soak.example --reuse --seconds 900 | head -1)
    snapshot=$(python3 -c "import sqlite3; c=sqlite3.connect('$work/$name/snapshots.db'); print(c.execute(\"select length(snapshot) from snapshot where persistence_id='mailbox-user0@soak.example'\").fetchone()[0])")
    echo "| $((i * round)) | ${result#*: } | $(rss_mb "${mi_pid[$name]}") MB | $snapshot |"
  done
  restart_and_page mi-sqlite user0@soak.example
  exit 0
fi

if [[ "$mode" == addresses ]]; then
  name=mi-sqlite; sp=${port[$name]}; total=${BENCH_ADDRESSES:-1000000}; round=$((total / 10))
  entities() { curl -fs "http://127.0.0.1:${mi_admin[$name]}/status" | python3 -c 'import json,sys; print(sum(r.get("entityCount", 0) for r in json.load(sys.stdin)["shards"]))'; }
  echo "| distinct addresses so far | rate of the last $round addresses (5 per message) | RSS | live mailbox entities |"; echo "|---|---|---|---|"
  echo "| 0 | | $(rss_mb "${mi_pid[$name]}") MB | $(entities) |"
  for i in $(seq 1 10); do
    echo "addresses: round $i" >&2
    result=$(loadgen --port "$sp" --messages $((round / 5)) --recipients 5 --mailboxes "$round" --domain "a$i.example" --seconds 900 | head -1)
    echo "| $((i * round)) | ${result#*: } | $(rss_mb "${mi_pid[$name]}") MB | $(entities) |"
  done
  # Idle entities passivate (15 s after a mailbox's only message, 2 minutes after any other's): all of them stop.
  for _ in $(seq 1 60); do [[ $(entities) -lt 1000 ]] && break; sleep 5; done
  echo "| $total, idle | | $(rss_mb "${mi_pid[$name]}") MB | $(entities) |"
  exit 0
fi

if [[ "$mode" == cold ]]; then
  echo "| runtime setting | ready after | CPU to ready | first 3 000: msg/s, CPU ms/msg | after 20 000: msg/s, CPU ms/msg | first / warm rate |"
  echo "|---|---|---|---|---|---|"
  # One run of loadgen against node $name (process $pid): "msg/s, CPU ms/msg" of its messages.
  measured() {
    local before line; before=$(cpu_ticks "$pid")
    line=$(loadgen --port "${port[$name]}" --messages "$1" --mailboxes 100 --domain cold.example | tail -1)
    python3 -c "import sys; r=dict(kv.split('=') for kv in sys.argv[1].split()[1:]); print(f\"{float(r['msgs_per_s']):.0f}, {($(cpu_ticks "$pid") - $before) * 10 / $1:.2f}\")" "$line"
  }
  i=0
  for variant in ${BENCH_COLD_VARIANTS:-default DOTNET_TieredPGO=0 DOTNET_TieredCompilation=0}; do
    echo "cold: $variant" >&2
    name=cold-$((i++)); settings=(); host_dir=""
    case "$variant" in
      default) ;;
      ReadyToRun)
        [[ -d "$work/host-r2r" ]] || dotnet publish src/MailIngest.Host -c Release -r linux-x64 --self-contained false \
          -p:PublishReadyToRun=true -o "$work/host-r2r" >/dev/null
        host_dir="$work/host-r2r" ;;
      prewarm-*) ;;
      *) settings=("$variant") ;;
    esac
    started=$(date +%s.%N)
    start_mailingest "$name" Sqlite "" "${settings[@]}"
    ready=$(python3 -c "import time; print(f'{time.time() - $started:.1f} s')")
    pid=${mi_pid[$name]}
    [[ "$variant" == prewarm-* ]] && measured "${variant#prewarm-}" >&2
    ready_cpu=$(cpu_ticks "$pid")
    first=$(measured 3000)
    measured 17000 >/dev/null
    warm=$(measured 3000)
    echo "| $variant | $ready | $((ready_cpu / 100)).$(printf '%02d' $((ready_cpu % 100))) s | $first | $warm | $(python3 -c "print(f'{${first%%,*} / ${warm%%,*}:.2f}')") |"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  exit 0
fi

if [[ "$mode" == scaleout ]]; then
  quota=${BENCH_QUOTA:-0.3}; counts=${BENCH_NODES:-"1 2 3"}; mailboxes=${BENCH_MAILBOXES:-1000}
  quota_us=$(python3 -c "print(int(float('$quota') * 100000))")
  start_postgres
  postmaster=$(head -1 "$pg_data/postmaster.pid")
  psql_admin() { timeout 60 "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qAt -c "$1"; }
  # "pid ticks" of the postmaster and its children (backends come and go, so each is diffed by PID).
  pg_ticks() { local p; for p in "$postmaster" $(pgrep -P "$postmaster" || true); do echo "$p $(cpu_ticks "$p")"; done; }
  forget_pid() { local keep=() p; for p in "${pids[@]}"; do [[ "$p" != "$1" ]] && keep+=("$p"); done; pids=("${keep[@]}"); }
  # Waits for a process sent SIGTERM (a node drains and leaves), SIGKILL after $2 seconds. (Polled: a watchdog in a
  # ( … ) & subshell killed early would run this script's EXIT trap, which stops PostgreSQL.)
  reap_pid() {
    local pid=$1 grace=${2:-30} _
    for _ in $(seq 1 $((grace * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
  }
  used_ports=" "
  unique_port() { local p; while p=$(free_port); [[ "$used_ports" == *" $p "* ]]; do :; done; used_ports+="$p "; echo "$p"; }
  status_field() { curl -fs --max-time 10 "http://127.0.0.1:$1/status" | python3 -c "import json,sys; s=json.load(sys.stdin); print($2)"; }
  # "accepted resends" of the node whose admin port is $1, from one /status read.
  node_counters() { status_field "$1" 's["smtp"]["accepted"], s["delivery"]["resends"]'; }
  # "periods throttled" so far of the CPU cgroup $1.
  throttling() { awk '/^nr_periods/{p=$2} /^nr_throttled/{t=$2} END{print p, t}' "$1/cpu.stat"; }
  # Share i (0-based) of total over n parts, the remainder to the first ones.
  share() { echo $(( $2 / $3 + ($1 < $2 % $3 ? 1 : 0) )); }
  # One loadgen per node in parallel, each with its share of messages and connections; writes $work/lg-<i>.log.
  # $3 (default: BENCH_MAILBOXES) mailboxes per loadgen; a "%i" in the domain becomes the loadgen's index, so that
  # loadgens given as many mailboxes as messages send every message to an address nobody has used.
  load_all() {
    local total=$1 domain=$2 boxes=${3:-$mailboxes} n=${#node_smtp[@]} i lg=()
    for ((i = 0; i < n; i++)); do
      timeout $run_timeout dotnet "$work/loadgen/MailIngest.LoadGen.dll" --port "${node_smtp[$i]}" \
        --messages "$(share "$i" "$total" "$n")" --connections "$(share "$i" "$sessions" "$n")" \
        --mailboxes "$boxes" --domain "${domain//%i/$i}" --seconds $((run_timeout - 20)) > "$work/lg-$i.log" 2>&1 & pids+=($!); lg+=($!)
    done
    for i in "${lg[@]}"; do wait "$i" || true; forget_pid "$i"; done
  }
  # "msgs/s p50-per-loadgen errors" of the last load_all: everything accepted over the longest loadgen's run (their
  # start-up is not counted).
  load_totals() {
    python3 - "$work" "${#node_smtp[@]}" <<'PY'
import sys
runs = []
for i in range(int(sys.argv[2])):
    line = next(l for l in open(f"{sys.argv[1]}/lg-{i}.log") if l.startswith("RESULT"))
    runs.append(dict(kv.split("=") for kv in line.split()[1:]))
rate = sum(int(r["accepted"]) for r in runs) / max(float(r["elapsed_s"]) for r in runs)
print(f"{rate:.0f}", ",".join(f"{float(r['p50_ms']):.1f}" for r in runs), sum(int(r["errors"]) for r in runs))
PY
  }

  echo "| nodes (${quota} CPU each) | msgs/s | ratio to 1 node | node CPU ms/msg (each node: its CPU / messages it accepted) | accepted per node | PostgreSQL CPU ms/msg | delivery resends per node | throttled periods per node | loadgen p50 ms (each) | errors | new addresses: msgs/s (to known), p50 ms |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  base_rate=""
  for count in $counts; do
    echo "scaleout: $count node(s)" >&2
    db=bench_n$count
    psql_admin "CREATE DATABASE $db" >/dev/null
    node_smtp=() node_admin=() node_pid=() node_group=() seeds=()
    declare -a cluster_ports=()
    for ((i = 0; i < count; i++)); do cluster_ports+=("$(unique_port)"); done
    # As the chart and the cluster tests do: the first three nodes are every node's seeds.
    for ((i = 0; i < count && i < 3; i++)); do seeds+=("MailIngest__Cluster__Seeds__$i=127.0.0.1:${cluster_ports[$i]}"); done
    for ((i = 0; i < count; i++)); do
      group=/sys/fs/cgroup/cpu/mailingest-bench-$$-node$i
      if [[ ! -d "$group" ]]; then mkdir "$group"; cgroups+=("$group"); fi
      echo 100000 > "$group/cpu.cfs_period_us"; echo "$quota_us" > "$group/cpu.cfs_quota_us"
      node_smtp+=("$(unique_port)"); node_admin+=("$(unique_port)"); node_group+=("$group")
      env "${seeds[@]}" MailIngest__Smtp__Port="${node_smtp[$i]}" MailIngest__Admin__Port="${node_admin[$i]}" \
          MailIngest__Cluster__HostName=127.0.0.1 MailIngest__Cluster__Port="${cluster_ports[$i]}" \
          MailIngest__Storage__Provider=PostgreSql MailIngest__Storage__DataDirectory="$work/scaleout-$count-$i" \
          MailIngest__Storage__ConnectionString="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$db;Max Auto Prepare=20" \
          MailIngest__Smtp__DrainGraceSeconds=5 Logging__LogLevel__Default=Warning \
          sh -c 'echo $$ > "$0/cgroup.procs" && exec dotnet "$1"' "$group" "$work/host/MailIngest.Host.dll" \
          > "$work/scaleout-$count-$i.log" 2>&1 & pids+=($!); node_pid+=($!)
    done
    # Every node ready and seeing all $count members Up and reachable (bounded: 180 s).
    formed=""
    for _ in $(seq 1 360); do
      formed=yes
      for ((i = 0; i < count; i++)); do
        curl -fs --max-time 5 "http://127.0.0.1:${node_admin[$i]}/readyz" >/dev/null 2>&1 &&
          [[ "$(status_field "${node_admin[$i]}" 'sum(m["status"] == "Up" and m["reachable"] for m in s["members"]) == len(s["members"]) == '"$count" 2>/dev/null)" == True ]] ||
          { formed=""; break; }
      done
      [[ -n "$formed" ]] && break
      sleep 0.5
    done
    if [[ -z "$formed" ]]; then
      echo "scaleout: $count node(s) did not form a cluster within 180 s" >&2
      for ((i = 0; i < count; i++)); do tail -5 "$work/scaleout-$count-$i.log" >&2; done
      exit 1
    fi
    echo "scaleout: $count node(s) Up; warm-up, $warmup messages per node" >&2
    load_all $((warmup * count)) scaleout.example
    # The measured run: the same mailboxes, so every one exists already.
    echo "scaleout: $count node(s), measured run of $messages messages" >&2
    counters0=() c0=() th0=()
    for ((i = 0; i < count; i++)); do
      counters0+=("$(node_counters "${node_admin[$i]}")"); th0+=("$(throttling "${node_group[$i]}")")
    done
    pg_ticks > "$work/pg-ticks-0"
    for ((i = 0; i < count; i++)); do c0+=("$(cpu_ticks "${node_pid[$i]}")"); done
    load_all "$messages" scaleout.example
    for ((i = 0; i < count; i++)); do c1[$i]=$(cpu_ticks "${node_pid[$i]}"); done
    pg_ticks > "$work/pg-ticks-1"
    cpu_cells="" accepted_cells="" resend_cells="" throttle_cells="" total_accepted=0
    for ((i = 0; i < count; i++)); do
      read -r a0 r0 <<< "${counters0[$i]}"; read -r a1 r1 <<< "$(node_counters "${node_admin[$i]}")"
      read -r p0 t0 <<< "${th0[$i]}"; read -r p1 t1 <<< "$(throttling "${node_group[$i]}")"
      accepted_i=$((a1 - a0)); total_accepted=$((total_accepted + accepted_i))
      cpu_cells+="$(python3 -c "print(f'{(${c1[$i]}-${c0[$i]})*10/max($accepted_i,1):.2f}')"), "
      accepted_cells+="$accepted_i, "; resend_cells+="$((r1 - r0)), "
      throttle_cells+="$(python3 -c "print(f'{($t1-$t0)/max($p1-$p0,1):.0%}')"), "
    done
    pg_cpu=$(python3 - "$work/pg-ticks-0" "$work/pg-ticks-1" "$total_accepted" <<'PY'
import sys
before = dict(line.split() for line in open(sys.argv[1]) if line.strip())
after = dict(line.split() for line in open(sys.argv[2]) if line.strip())
ticks = sum(int(t) - int(before.get(p, 0)) for p, t in after.items())
print(f"{ticks * 10 / max(int(sys.argv[3]), 1):.2f}")
PY
)
    read -r rate p50s errors <<< "$(load_totals)"
    (( total_accepted == messages )) || echo "warning: $count node(s) accepted $total_accepted of $messages" >&2
    # The same load once more, every message to an address never seen before (issue: new addresses at full speed).
    echo "scaleout: $count node(s), $messages messages to new addresses" >&2
    load_all "$messages" "new$count-%i.example" "$messages"
    read -r new_rate new_p50s new_errors <<< "$(load_totals)"
    base_rate=${base_rate:-$rate}
    ratio=$(python3 -c "print(f'{$rate/$base_rate:.2f}')")
    new_ratio=$(python3 -c "print(f'{$new_rate/$rate:.2f}')")
    echo "| $count | $rate | $ratio | ${cpu_cells%, } | ${accepted_cells%, } | $pg_cpu | ${resend_cells%, } | ${throttle_cells%, } | ${p50s//,/, } | $errors | $new_rate ($new_ratio), p50 ${new_p50s//,/, }, errors $new_errors |"
    for pid in "${node_pid[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${node_pid[@]}"; do reap_pid "$pid" 30; done
  done
  exit 0
fi

# Authentication's cost: the same DKIM-signed 4 KiB message (loadgen, 20 connections, new connection per message, 100
# mailboxes) to a node with Authentication:Mode Off and to one with Record; rounds alternate the two.
if [[ "$mode" == auth ]]; then
  dns_queries() { curl -fs "http://127.0.0.1:${mi_admin[mi-auth]}/metrics" | awk '/^mailingest_dns_queries\{/{s+=$2} END{print s+0}'; }
  auth_rows=()
  # The warm-up above sent unsigned mail: the signed message's own paths (DKIM above all) get theirs here, on both.
  for mi in mi-sqlite mi-auth; do
    echo "authentication: warming $mi up with the signed message" >&2
    loadgen --port "${port[$mi]}" --messages "$messages" --connections "$sessions" --mailboxes 100 --domain bench.example \
      --message "$work/signed.eml" > /dev/null
  done
  for round in $(seq 1 "${BENCH_AUTH_ROUNDS:-3}"); do
    for mi in mi-sqlite mi-auth; do
      echo "authentication: $mi, round $round" >&2
      q0=$(dns_queries); c0=$(cpu_ticks "${mi_pid[$mi]}")
      result=$(loadgen --port "${port[$mi]}" --messages "$messages" --connections "$sessions" --mailboxes 100 --domain bench.example \
        --message "$work/signed.eml" | tail -1)
      c1=$(cpu_ticks "${mi_pid[$mi]}"); q1=$(dns_queries)
      auth_rows+=("$mi $round $((c1 - c0)) $((q1 - q0)) $result")
    done
  done
  verdict=$(curl -fs "http://127.0.0.1:${mi_admin[mi-auth]}/api/mailboxes/user0@bench.example/messages?limit=1" \
    | python3 -c 'import json,sys; a=json.load(sys.stdin)["items"][0]["authentication"]; print("spf", a["spf"]["result"], "dkim", a["dkim"][0]["result"], "dmarc", a["dmarc"]["result"])')
  echo
  echo "Authentication: $messages DKIM-signed messages per run (2048-bit RSA, relaxed), $sessions connections, new connection each, 4 KiB; verdict stored: $verdict"
  python3 - "$messages" "${auth_rows[@]}" <<'PY'
import statistics, sys
messages, rows = int(sys.argv[1]), [r.split(" ", 4) for r in sys.argv[2:]]
runs = {}
for name, round_, ticks, queries, result in rows:
    kv = dict(p.split("=") for p in result.split()[1:])
    runs.setdefault(name, []).append((float(kv["msgs_per_s"]), int(ticks) * 10 / messages, float(kv["p50_ms"]), int(queries), int(kv["errors"])))
print("| run | Mode Off msg/s, CPU ms/msg, p50 | Mode Record msg/s, CPU ms/msg, p50 | rate ratio | CPU added ms/msg | DNS queries | errors |")
print("|---|---|---|---|---|---|---|")
for i, (off, rec) in enumerate(zip(runs["mi-sqlite"], runs["mi-auth"]), 1):
    print(f"| {i} | {off[0]:.0f}, {off[1]:.3f}, {off[2]:.1f} ms | {rec[0]:.0f}, {rec[1]:.3f}, {rec[2]:.1f} ms | {rec[0] / off[0]:.2f} | {rec[1] - off[1]:.3f} | {rec[3]} | {off[4] + rec[4]} |")
med = lambda name, k: statistics.median(r[k] for r in runs[name])
print(f"| median | {med('mi-sqlite', 0):.0f}, {med('mi-sqlite', 1):.3f} | {med('mi-auth', 0):.0f}, {med('mi-auth', 1):.3f} | {med('mi-auth', 0) / med('mi-sqlite', 0):.2f} | {med('mi-auth', 1) - med('mi-sqlite', 1):.3f} | | |")
PY
  exit 0
fi

# New addresses against a known one: the same load (20 connections, new connection per message, 4 KiB), once to a
# mailbox that exists and once with every message to an address never seen before; rounds alternate the two.
fresh_rows=()
fresh_rounds=${BENCH_FRESH_ROUNDS:-2}
for mi in mi-sqlite mi-pg; do
  [[ " $servers " != *" $mi "* || "$mode" == milter ]] && continue
  known=() fresh=()
  for round in $(seq 1 "$fresh_rounds"); do
    echo "new addresses: $mi, round $round" >&2
    known+=("$(loadgen --port "${port[$mi]}" --messages "$messages" --connections "$sessions" --mailboxes 1 --domain known.example | tail -1)")
    fresh+=("$(loadgen --port "${port[$mi]}" --messages "$messages" --connections "$sessions" --mailboxes "$messages" --domain "new$round.example" | tail -1)")
  done
  fresh_rows+=("$(python3 - "$mi" "${#known[@]}" "${known[@]}" "${fresh[@]}" <<'PY'
import statistics, sys
name, n = sys.argv[1], int(sys.argv[2])
parse = lambda line: dict(kv.split("=") for kv in line.split()[1:])
known, fresh = [parse(l) for l in sys.argv[3:3 + n]], [parse(l) for l in sys.argv[3 + n:]]
med = lambda runs, key: statistics.median(float(r[key]) for r in runs)
kr, fr, kp, fp = med(known, "msgs_per_s"), med(fresh, "msgs_per_s"), med(known, "p50_ms"), med(fresh, "p50_ms")
errors = sum(int(r["errors"]) for r in known + fresh)
print(f"| {name} | {kr:.0f} msg/s, p50 {kp:.1f} ms | {fr:.0f} msg/s, p50 {fp:.1f} ms | {fr / kr:.2f} | {fp / kp:.2f} | {errors} |")
PY
)")
done

# Latency at about half the peak rate of the first load (RFC: end of data to the 250 line).
latency_rows=()
for mi in mi-sqlite mi-pg; do
  [[ " $servers " != *" $mi "* || ${#rows[@]} -eq 0 || "$mode" == milter ]] && continue
  peak=$(echo "${rows[0]}" | awk -F'|' -v col="$(echo "$servers" | tr ' ' '\n' | grep -n "^$mi$" | cut -d: -f1)" '{print $(col+2)}' | tr -d ' ')
  half=$(( ${peak:-200} / 2 ))
  echo "latency: $mi at $half msg/s" >&2
  latency_rows+=("| $mi at $half msg/s (half of ${peak} msg/s), new connection per message, 4 KiB | $(loadgen --port "${port[$mi]}" --messages $((half * 10)) --rate "$half" | head -1) |")
done

echo
echo "$messages messages per run, $sessions parallel sessions (smtp-source), MailIngest warmed up with $warmup messages"
if [[ " $servers " == *" mi-spam "* ]]; then echo "(mi-spam: at most 1000 messages per run, 2000 of warm-up)"; fi
echo "$header"; echo "$rule"
printf '%s\n' "${rows[@]}"
if ((${#fresh_rows[@]})); then
  echo
  echo "| new addresses ($messages messages, $sessions connections, new connection each, 4 KiB; median of $fresh_rounds rounds) | one known mailbox | every message to a new address | rate ratio | p50 ratio | errors |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${fresh_rows[@]}"
fi
if ((${#latency_rows[@]})); then
  echo
  echo "| latency (bench/MailIngest.LoadGen) | result |"; echo "|---|---|"
  printf '%s\n' "${latency_rows[@]}"
fi
