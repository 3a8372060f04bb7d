#!/usr/bin/env bash
# Brings Folio up on this machine and runs the demo through the gateway.
#   ./run.sh          infrastructure + build + every service + gateway, then the demo (reuses what already runs)
#   ./run.sh stop     stops what ./run.sh started (services, gateway, infrastructure); data stays
#   ./run.sh status   what runs
set -euo pipefail
ROOT=$(cd "$(dirname "$0")" && pwd)
cd "$ROOT"
STATE=${FOLIO_STATE_DIR:-$ROOT/.state/run}
LOGS=$STATE/logs
GATEWAY=${FOLIO_GATEWAY_URL:-http://127.0.0.1:8080}
CONFIGURATION=Release
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export FOLIO_INFRA_DIR=$STATE/infra FOLIO_INFRA_NAME=folio-dev

# name|project folder|assembly|database|REST port|gRPC port
PROCESSES=(
  "projects|services/Projects/Projects.Api|Folio.Projects.Api|Projects|5101|5201"
  "versioning|services/Versioning/Versioning.Api|Folio.Versioning.Api|Versioning|5102|5202"
  "generation|services/Generation/Generation.Api|Folio.Generation.Api|Generation|5103|5203"
  "continuity|services/Continuity/Continuity.Api|Folio.Continuity.Api|Continuity|5104|5204"
  "export|services/Export/Export.Api|Folio.Export.Api|Export|5105|5205"
  "gateway|gateway/Gateway|Folio.Gateway|Gateway|8080|8081"
)

log() { echo "run.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
alive() { [[ -f $STATE/$1.pid ]] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }
ready() { curl -fsS -o /dev/null "http://127.0.0.1:$1/health/ready" 2>/dev/null; }

stop() {
  for entry in "${PROCESSES[@]}"; do
    IFS='|' read -r name _ <<<"$entry"
    if alive "$name"; then
      log "stopping $name"
      kill "$(cat "$STATE/$name.pid")" 2>/dev/null || true
    fi
  done
  # Graceful shutdown drains requests and the bus; give it 30 s, then stop waiting.
  for entry in "${PROCESSES[@]}"; do
    IFS='|' read -r name _ <<<"$entry"
    local end=$((SECONDS + 30))
    while alive "$name" && (( SECONDS < end )); do sleep 0.2; done
    alive "$name" && kill -9 "$(cat "$STATE/$name.pid")" 2>/dev/null
    rm -f "$STATE/$name.pid"
  done
  deploy/local/infra.sh down
}

status() {
  deploy/local/infra.sh status
  for entry in "${PROCESSES[@]}"; do
    IFS='|' read -r name _ _ _ port _ <<<"$entry"
    if alive "$name"; then echo "$name: running (pid $(cat "$STATE/$name.pid"), http://127.0.0.1:$port)"; else echo "$name: stopped"; fi
  done
}

start_process() { # entry
  IFS='|' read -r name folder assembly database port grpc <<<"$1"
  if alive "$name"; then
    log "$name already runs (pid $(cat "$STATE/$name.pid")); reusing it"
    return
  fi
  local out=$ROOT/$folder/bin/$CONFIGURATION/net10.0
  log "starting $name on :$port (gRPC :$grpc), log $LOGS/$name.log"
  (
    cd "$out"
    env ASPNETCORE_ENVIRONMENT=Development \
      Kestrel__Endpoints__Http__Url="http://127.0.0.1:$port" \
      Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$grpc" \
      "ConnectionStrings__$database=Host=127.0.0.1;Port=$FOLIO_PG_PORT;Username=$FOLIO_PG_USER;Password=$FOLIO_PG_PASSWORD;Database=folio_${database,,}" \
      Jwt__SigningKey="$(cat "$STATE/jwt.key")" \
      DataProtection__KeyRingPath="$STATE/keys/$name" \
      nohup dotnet "$assembly.dll" >>"$LOGS/$name.log" 2>&1 &
    echo $! >"$STATE/$name.pid"
  )
}

wait_ready() { # entry
  IFS='|' read -r name _ _ _ port _ <<<"$1"
  local end=$((SECONDS + 120))
  until ready "$port"; do
    alive "$name" || { tail -n 40 "$LOGS/$name.log" >&2; die "$name exited during start-up (log: $LOGS/$name.log)"; }
    (( SECONDS < end )) || { tail -n 40 "$LOGS/$name.log" >&2; die "$name was not ready within 120 s (log: $LOGS/$name.log)"; }
    sleep 0.5
  done
  log "$name is ready"
}

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# api METHOD PATH [BODY]: the response body on 2xx; otherwise returns 1 with the status in $api_status and body in $api_body.
api() {
  local out
  out=$(curl -sS -X "$1" "$GATEWAY$2" -H 'Content-Type: application/json' \
          ${token:+-H "Authorization: Bearer $token"} ${3:+-d "$3"} -w $'\n%{http_code}')
  api_status=${out##*$'\n'} api_body=${out%$'\n'*}
  [[ $api_status == 2* ]] && printf '%s' "$api_body"
}

demo() {
  local email=demo@folio.local password='quill-and-ink-2026' token="" project id branches="" end
  log "demo: signing in as $email through the gateway ($GATEWAY)"
  if ! project=$(api POST /api/v1/auth/login "{\"email\":\"$email\",\"password\":\"$password\"}"); then
    project=$(api POST /api/v1/auth/register "{\"email\":\"$email\",\"password\":\"$password\",\"displayName\":\"Demo Writer\"}") \
      || die "registering the demo user failed ($api_status): $api_body"
  fi
  token=$(json "['accessToken']" <<<"$project")

  project=$(api POST /api/v1/projects '{"title":"The Lighthouse Keeper","subtitle":"A demo novel","genre":"literary","language":"en","targetWordCount":80000}') \
    || die "creating the demo project failed ($api_status): $api_body"
  id=$(json "['id']" <<<"$project")
  echo
  echo "Created project (Projects service):"
  python3 -m json.tool <<<"$project"

  end=$((SECONDS + 30))
  until branches=$(api GET "/api/v1/projects/$id/branches"); do
    (( SECONDS < end )) || die "Versioning did not open the repository within 30 s ($api_status; log: $LOGS/versioning.log)"
    sleep 0.3
  done
  echo "Its repository's branches (Versioning, created from the ProjectCreated event):"
  python3 -m json.tool <<<"$branches"
  echo "What Export can export (Export read it from Versioning over gRPC):"
  api GET "/api/v1/exports/projects/$id/refs" | python3 -m json.tool || die "export refs failed ($api_status): $api_body"
  echo
  echo "Folio is up. Gateway: $GATEWAY (REST), 127.0.0.1:8081 (gRPC). Logs: $LOGS"
  echo "Sign in:  curl -s -X POST $GATEWAY/api/v1/auth/login -H 'Content-Type: application/json' -d '{\"email\":\"$email\",\"password\":\"$password\"}'"
  echo "Then:     curl -s $GATEWAY/api/v1/projects -H \"Authorization: Bearer \$TOKEN\""
  echo "Docs:     docs/API.md, docs/OPERATIONS.md.   Stop: ./run.sh stop"
}

up() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is not on PATH"
  command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl; }
  mkdir -p "$STATE" "$LOGS"
  local infra_env; infra_env=$(deploy/local/infra.sh up)
  eval "$infra_env"
  # The signing key lives outside the repository, made once per machine.
  [[ -s $STATE/jwt.key ]] || { head -c 48 /dev/urandom | base64 -w0 >"$STATE/jwt.key"; chmod 600 "$STATE/jwt.key"; }

  local running=0
  for entry in "${PROCESSES[@]}"; do IFS='|' read -r name _ <<<"$entry"; alive "$name" && running=$((running + 1)); done
  if (( running < ${#PROCESSES[@]} )); then
    log "building ($CONFIGURATION)"
    dotnet build Microservices.sln -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly >&2
  fi
  for entry in "${PROCESSES[@]}"; do start_process "$entry"; done
  for entry in "${PROCESSES[@]}"; do wait_ready "$entry"; done
  demo
}

case "${1:-up}" in
  up) up ;;
  stop|down) stop ;;
  status) status ;;
  *) die "usage: $0 [up|stop|status]" ;;
esac
