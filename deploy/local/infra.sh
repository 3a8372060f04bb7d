#!/usr/bin/env bash
# Private PostgreSQL 15 / RabbitMQ 3.10 / Redis 7 instances as plain processes (no Docker, no systemd).
#   deploy/local/infra.sh up|down [--purge]|purge|status|env
# Messages go to stderr; stdout carries only `status` lines and the `export` lines of `env`/`up`:
#   out=$(deploy/local/infra.sh up) && eval "$out"
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=$(realpath -m "${FOLIO_INFRA_DIR:-$REPO/.state/infra}")
PG_PORT=${FOLIO_PG_PORT:-17432}
RABBIT_PORT=${FOLIO_RABBIT_PORT:-17672}
REDIS_PORT=${FOLIO_REDIS_PORT:-17379}
NAME=${FOLIO_INFRA_NAME:-folio}
TIMEOUT=${FOLIO_INFRA_TIMEOUT:-120}
FAST=${FOLIO_INFRA_FAST:-0}

PGDIR=$STATE/postgres PGDATA=$STATE/postgres/data
RDIR=$STATE/rabbitmq REDDIR=$STATE/redis LOGS=$STATE/logs
RPID=$RDIR/rabbit.pid REDPID=$REDDIR/redis.pid
# Erlang's defaults (dist = amqp+20000, epmd 4369 shared with a system RabbitMQ, ctl 35672-35682
# shared by every node on the box) overflow or collide, so every instance gets its own ports.
rabbit_ports() {
  if (( RABBIT_PORT + 2000 <= 65535 )); then RSTEP=1000 RSIGN=+; else RSTEP=-1000 RSIGN=-; fi
  RNODE=$NAME@localhost RDIST_PORT=$((RABBIT_PORT + RSTEP)) EPMD_PORT=$((RABBIT_PORT + 2 * RSTEP))
}
rabbit_ports
# down/status act on what this folder actually started, whatever the environment says now.
use_recorded() {
  [[ -f $PGDIR/port ]] && PG_PORT=$(<"$PGDIR/port")
  [[ -f $REDDIR/port ]] && REDIS_PORT=$(<"$REDDIR/port")
  local rname=""; [[ -f $RDIR/port ]] && read -r RABBIT_PORT rname <"$RDIR/port" || true
  NAME=${rname:-$NAME} # files written before the name was recorded hold just the port
  rabbit_ports
}

log() { echo "infra[$NAME]: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
tail_log() { [[ -f $1 ]] && { echo "----- tail $1" >&2; tail -n 30 "$1" >&2; } || true; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# pid_alive PIDFILE PATTERN: process from the pid file runs and its command line matches.
pid_alive() {
  local pid
  pid=$(head -n1 "$1" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}
wait_gone() { # wait_gone WHAT PIDFILE CHECK: wait for a stopping server, SIGKILL it after 30s
  local end=$((SECONDS + 30))
  while $3; do
    (( SECONDS < end )) || { log "$1 did not stop, killing it"; kill -9 "$(head -n1 "$2")" 2>/dev/null || true; }
    sleep 0.2
  done
}
wait_for() { # wait_for WHAT LOGFILE CMD...: poll CMD until it succeeds or TIMEOUT expires
  local what=$1 logf=$2 end=$((SECONDS + TIMEOUT)); shift 2
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < end )) || { tail_log "$logf"; die "$what did not become ready within ${TIMEOUT}s (log: $logf)"; }
    sleep 0.3
  done
}
port_free() { # PORT ENVVAR WHAT
  ! port_open "$1" || die "port $1 ($3) is already in use by another process; choose another with $2=<port>"
}
# A port inside the kernel's ephemeral range can be taken at any moment by an outgoing connection's
# local end (the servers' own clients included), and the server then fails to bind it.
ephemeral_warn() { # PORT ENVVAR
  local low high; read -r low high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || return 0
  (( $1 < low || $1 > high )) || log "warning: port $1 lies in the ephemeral range $low-$high and may be taken by a client; choose another with $2=<port>"
}
# Checked before anything starts, so a taken port does not leave half the stack running.
preflight() {
  ephemeral_warn "$PG_PORT" FOLIO_PG_PORT; ephemeral_warn "$REDIS_PORT" FOLIO_REDIS_PORT
  ephemeral_warn "$RABBIT_PORT" FOLIO_RABBIT_PORT; ephemeral_warn "$RDIST_PORT" FOLIO_RABBIT_PORT
  ephemeral_warn "$EPMD_PORT" FOLIO_RABBIT_PORT
  pg_running || port_free "$PG_PORT" FOLIO_PG_PORT PostgreSQL
  redis_running || port_free "$REDIS_PORT" FOLIO_REDIS_PORT Redis
  rabbit_running && return
  port_free "$RABBIT_PORT" FOLIO_RABBIT_PORT "RabbitMQ AMQP"
  port_free "$RDIST_PORT" FOLIO_RABBIT_PORT "RabbitMQ distribution = AMQP port ${RSIGN}1000"
  # A leftover epmd of ours on the epmd port is fine, anything else is not.
  epmd -port "$EPMD_PORT" -names >/dev/null 2>&1 ||
    port_free "$EPMD_PORT" FOLIO_RABBIT_PORT "RabbitMQ epmd = AMQP port ${RSIGN}2000"
}
check_recorded_port() { # a running instance must be the one the caller asked for
  local rec; rec=$(cat "$1" 2>/dev/null || true)
  [[ -z $rec || $rec == "$2" ]] || die "$3 from $STATE runs as '$rec', not '$2' ($4); run '$0 down' first"
}

pg_bin() {
  local d
  for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x $d/initdb ]] && { echo "$d"; return; }
  done
}
as_pg() { if (( EUID == 0 )); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

install_missing() {
  local pkgs=()
  [[ -n $(pg_bin) ]] || pkgs+=(postgresql)
  [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || pkgs+=(rabbitmq-server)
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || pkgs+=(redis-server redis-tools)
  (( ${#pkgs[@]} )) || return 0
  (( EUID == 0 )) || die "missing packages: ${pkgs[*]} (run as root or install them)"
  log "installing ${pkgs[*]} (apt)"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2
}

pg_running() { [[ -f $PGDATA/postmaster.pid ]] && pid_alive "$PGDATA/postmaster.pid" postgres; }
# Unix socket paths are limited to 107 bytes; a deep state folder gets its socket under /tmp.
pg_sockdir() { (( ${#PGDIR} < 85 )) && echo "$PGDIR/run" || echo "/tmp/folio-pg-$(cksum <<<"$STATE" | cut -d' ' -f1)"; }
pg_up() {
  local bin sock d p parts; bin=$(pg_bin); sock=$(pg_sockdir)
  if pg_running; then
    check_recorded_port "$PGDIR/port" "$PG_PORT" PostgreSQL FOLIO_PG_PORT
    log "postgres already running (pid $(head -n1 "$PGDATA/postmaster.pid"), port $PG_PORT), reusing"
  else
    if (( EUID == 0 )); then
      getent passwd postgres >/dev/null || useradd --system --no-create-home --home-dir / --shell /usr/sbin/nologin postgres
      # The postgres user must be able to traverse every parent of the state folder (/root is 0700).
      d=""
      IFS=/ read -ra parts <<<"${STATE#/}"
      for p in "${parts[@]}"; do
        d+=/$p
        runuser -u postgres -- test -x "$d" || { log "chmod o+x $d (postgres must traverse it)"; chmod o+x "$d"; }
      done
    fi
    mkdir -p "$PGDATA" "$sock"; touch "$LOGS/postgres.log"
    (( EUID != 0 )) || chown postgres: "$PGDIR" "$PGDATA" "$sock" "$LOGS/postgres.log"
    chmod 700 "$PGDATA"
    if [[ ! -f $PGDATA/PG_VERSION ]]; then
      log "initdb $PGDATA"
      as_pg "$bin/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C --auth-local=peer \
        --auth-host=scram-sha-256 $([[ $FAST == 1 ]] && echo --no-sync) >>"$LOGS/postgres.log" 2>&1 \
        || { tail_log "$LOGS/postgres.log"; die "initdb failed"; }
    fi
    local opts="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $sock -c max_connections=300"
    [[ $FAST == 1 ]] && opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    log "starting postgres on port $PG_PORT"
    as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" -o "$opts" -t "$TIMEOUT" -w start >/dev/null 9>&- \
      || { tail_log "$LOGS/postgres.log"; die "postgres failed to start on port $PG_PORT"; }
    echo "$PG_PORT" >"$PGDIR/port"
  fi
  wait_for postgres "$LOGS/postgres.log" "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"
  as_pg "$bin/psql" -qX -h "$sock" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -c \
    "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'folio') THEN
       CREATE ROLE folio LOGIN CREATEDB PASSWORD 'folio'; END IF; END \$\$;" >/dev/null \
    || { tail_log "$LOGS/postgres.log"; die "could not create role folio"; }
  PGPASSWORD=folio "$bin/psql" -qXAt -h 127.0.0.1 -p "$PG_PORT" -U folio -d postgres -c 'select 1' >/dev/null \
    || die "postgres: cannot log in as folio on 127.0.0.1:$PG_PORT"
}
pg_down() {
  pg_running || return 0
  log "stopping postgres"
  as_pg "$(pg_bin)/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
}

# We run RabbitMQ's own scripts directly (as the caller, i.e. root): the Debian wrapper in /usr/sbin
# does `su rabbitmq`, cd /var/lib/rabbitmq and uses the system node's Erlang cookie. HOME=$RDIR
# gives this instance its own cookie ($RDIR/.erlang.cookie) shared by server and rabbitmqctl.
rabbit_env() {
  export HOME=$RDIR RABBITMQ_NODENAME=$RNODE RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT=$RABBIT_PORT RABBITMQ_DIST_PORT=$RDIST_PORT \
    RABBITMQ_CTL_DIST_PORT_MIN=0 RABBITMQ_CTL_DIST_PORT_MAX=0 \
    ERL_EPMD_PORT=$EPMD_PORT ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_MNESIA_BASE=$RDIR/mnesia RABBITMQ_LOG_BASE=$LOGS/rabbitmq RABBITMQ_PID_FILE=$RPID \
    RABBITMQ_CONFIG_FILE=$RDIR/rabbitmq.conf RABBITMQ_ADVANCED_CONFIG_FILE=$RDIR/advanced.config \
    RABBITMQ_ENABLED_PLUGINS_FILE=$RDIR/enabled_plugins RABBITMQ_CONF_ENV_FILE=$RDIR/rabbitmq-env.conf \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}
rctl() { (rabbit_env; exec timeout "$TIMEOUT" /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$RNODE" "$@"); }
rabbit_running() { pid_alive "$RPID" beam; }
rabbit_up() {
  local rlog=$LOGS/rabbitmq-startup.log launcher=""
  if rabbit_running; then
    check_recorded_port "$RDIR/port" "$RABBIT_PORT $NAME" RabbitMQ "FOLIO_RABBIT_PORT FOLIO_INFRA_NAME"
    log "rabbitmq already running (pid $(cat "$RPID"), port $RABBIT_PORT), reusing"
  else
    mkdir -p "$RDIR/mnesia" "$LOGS/rabbitmq"
    echo '[].' >"$RDIR/enabled_plugins"; : >"$RDIR/rabbitmq-env.conf"
    # default_user (administrator, full rights on /) is created only with a fresh database.
    cat >"$RDIR/rabbitmq.conf" <<EOF
default_user = folio
default_pass = folio
log.console = false
log.file.level = info
EOF
    log "starting rabbitmq $RNODE on port $RABBIT_PORT (dist $RDIST_PORT, epmd $EPMD_PORT)"
    rm -f "$RPID"
    (rabbit_env; cd "$RDIR"; exec setsid /usr/lib/rabbitmq/bin/rabbitmq-server >"$rlog" 2>&1 </dev/null 9>&-) &
    launcher=$!
    echo "$RABBIT_PORT $NAME" >"$RDIR/port"
  fi
  local end=$((SECONDS + TIMEOUT))
  until port_open "$RABBIT_PORT"; do
    if (( SECONDS >= end )) || { [[ -n $launcher ]] && ! kill -0 "$launcher" 2>/dev/null; }; then
      tail_log "$rlog"; tail_log "$LOGS/rabbitmq/$RNODE.log"
      die "rabbitmq did not accept connections on port $RABBIT_PORT (logs: $LOGS/rabbitmq)"
    fi
    sleep 0.3
  done
  rctl await_startup --timeout "$TIMEOUT" >/dev/null 2>&1 || { tail_log "$LOGS/rabbitmq/$RNODE.log"; die "rabbitmqctl cannot reach $RNODE"; }
}
rabbit_down() {
  if rabbit_running; then
    log "stopping rabbitmq"
    rctl stop "$RPID" >/dev/null 2>&1 || kill "$(head -n1 "$RPID")" 2>/dev/null || true
    wait_gone rabbitmq "$RPID" rabbit_running
  fi
  # The node's private epmd outlives it (epmd refuses -kill while any node is registered).
  [[ ! -f $RDIR/port ]] || epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1 || true
}

redis_running() { pid_alive "$REDPID" redis-server; }
redis_up() {
  if redis_running; then
    check_recorded_port "$REDDIR/port" "$REDIS_PORT" Redis FOLIO_REDIS_PORT
    log "redis already running (pid $(cat "$REDPID"), port $REDIS_PORT), reusing"
  else
    mkdir -p "$REDDIR"
    log "starting redis on port $REDIS_PORT"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
      --dir "$REDDIR" --pidfile "$REDPID" --logfile "$LOGS/redis.log" </dev/null >/dev/null 2>&1 9>&- \
      || { tail_log "$LOGS/redis.log"; die "redis failed to start on port $REDIS_PORT"; }
    echo "$REDIS_PORT" >"$REDDIR/port"
  fi
  wait_for redis "$LOGS/redis.log" bash -c "[[ \$(redis-cli -p $REDIS_PORT ping) == PONG ]]"
}
redis_down() {
  redis_running || return 0
  log "stopping redis"
  kill "$(head -n1 "$REDPID")" 2>/dev/null || true # SIGTERM = SHUTDOWN; nothing is saved (save '')
  wait_gone redis "$REDPID" redis_running
}

print_env() {
  printf 'export %s\n' FOLIO_PG_HOST=127.0.0.1 "FOLIO_PG_PORT=$PG_PORT" FOLIO_PG_USER=folio \
    FOLIO_PG_PASSWORD=folio RabbitMq__Host=127.0.0.1 "RabbitMq__Port=$RABBIT_PORT" \
    RabbitMq__Username=folio RabbitMq__Password=folio "Redis__Configuration=127.0.0.1:$REDIS_PORT"
}
status_line() { # NAME RUNNING-CHECK PIDFILE PORT
  if $2; then printf '%-9s running  port %-5s pid %s\n' "$1" "$4" "$(head -n1 "$3")"
  else printf '%-9s stopped  port %-5s\n' "$1" "$4"; fi
}
# Servers must not inherit fd 9, or they would hold the lock forever.
lock() { mkdir -p "$STATE" "$LOGS"; chmod 755 "$STATE" "$LOGS"; exec 9>"$STATE/.lock"; flock 9; }

case "${1:-}" in
  up)
    lock; install_missing; preflight
    start=$SECONDS
    redis_up; pg_up; rabbit_up
    log "all up in $((SECONDS - start))s (state: $STATE)"
    print_env ;;
  down|purge)
    [[ -d $STATE ]] || { log "nothing at $STATE"; exit 0; }
    lock; use_recorded; redis_down; rabbit_down; pg_down
    if [[ $1 == purge || ${2:-} == --purge ]]; then
      log "deleting $STATE"; rm -rf "$(pg_sockdir)" "$STATE"
    fi ;;
  status)
    use_recorded
    status_line postgres pg_running "$PGDATA/postmaster.pid" "$PG_PORT"
    status_line rabbitmq rabbit_running "$RPID" "$RABBIT_PORT"
    status_line redis redis_running "$REDPID" "$REDIS_PORT" ;;
  env) print_env ;;
  *) echo "usage: $0 up|down [--purge]|purge|status|env" >&2; exit 2 ;;
esac
