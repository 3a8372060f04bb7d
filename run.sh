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
      Export__Storage__Path="$STATE/exports" \
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

# api METHOD PATH [BODY [HEADER]]: the response body on 2xx; otherwise returns 1 with the status in $api_status and body in $api_body.
api() {
  local out
  out=$(curl -sS -X "$1" "$GATEWAY$2" -H 'Content-Type: application/json' ${4:+-H "$4"} \
          ${token:+-H "Authorization: Bearer $token"} ${3:+-d "$3"} -w $'\n%{http_code}')
  api_status=${out##*$'\n'} api_body=${out%$'\n'*}
  [[ $api_status == 2* ]] && printf '%s' "$api_body"
}

# The plan of the demo book: its story bible, chapters with briefs, characters with facts and a timeline.
plan_demo_book() {
  local id=$1 chapter
  api PUT "/api/v1/projects/$id/story-bible" '{
    "braindump":"A keeper alone on a rock; a ship that should not exist; a logbook that writes itself.",
    "genre":"Literary mystery","style":"Close third person, past tense, spare and salt-bitten.",
    "synopsis":"Ellen Marsh keeps the Skerry light alone until the night a ship with no name anchors off the rock.",
    "worldbuilding":"The Skerry light, 1911: a tower, a cottage, a landing stage and a supply boat every second Thursday.",
    "outline":[{"chapter":1,"beats":["Ellen lights the lamp","The nameless ship anchors"]},
               {"chapter":2,"beats":["The supply boat does not come","The logbook has a new entry"]},
               {"chapter":3,"beats":["Ellen rows out to the ship","Tom is aboard"]}]}' 'If-Match: "1"' >/dev/null \
    || die "writing the story bible failed ($api_status): $api_body"
  for chapter in "The Lamp|Ellen lights the lamp|The nameless ship anchors" "Thursday|The supply boat does not come|The logbook has a new entry" "The Ship|Ellen rows out to the ship|Tom is aboard"; do
    IFS='|' read -r title first second <<<"$chapter"
    api POST "/api/v1/projects/$id/chapters" "{\"title\":\"$title\",\"targetLength\":3000,\"brief\":{\"beats\":[\"$first\",\"$second\"],\"pointOfView\":\"Ellen\",\"setting\":\"The Skerry light\"}}" >/dev/null \
      || die "adding chapter '$title' failed ($api_status): $api_body"
  done
  api POST "/api/v1/projects/$id/characters" '{"name":"Ellen Marsh","aliases":["the keeper"],"role":"protagonist","traits":["stubborn","careful"],
    "facts":[{"key":"eye_colour","value":"grey"},{"key":"age","value":"34"},{"key":"hair","value":"long, dark","untilChapter":2},
             {"key":"hair","value":"cropped short","fromChapter":3},{"key":"relationship:Tom Marsh","value":"brother"}]}' >/dev/null \
    || die "adding a character failed ($api_status): $api_body"
  api POST "/api/v1/projects/$id/characters" '{"name":"Tom Marsh","role":"supporting",
    "facts":[{"key":"status","value":"dead","untilChapter":2},{"key":"status","value":"alive","fromChapter":3},{"key":"eye_colour","value":"blue"}]}' >/dev/null \
    || die "adding a character failed ($api_status): $api_body"
  api POST "/api/v1/projects/$id/world" '{"kind":"place","name":"The Skerry light","description":"A lighthouse on a bare rock, two miles out."}' >/dev/null \
    || die "adding a place failed ($api_status): $api_body"
  api POST "/api/v1/projects/$id/timeline" '{"description":"The nameless ship anchors off the Skerry","chapterNumber":1,"storyTime":"Night of 3 November 1911","sortKey":"1911-11-03"}' >/dev/null \
    || die "adding a timeline event failed ($api_status): $api_body"
  api POST "/api/v1/projects/$id/timeline" '{"description":"The supply boat fails to come","chapterNumber":2,"storyTime":"Thursday 9 November 1911","sortKey":"1911-11-09"}' >/dev/null \
    || die "adding a timeline event failed ($api_status): $api_body"
  echo "Its plan (Projects): story bible, chapters with briefs, characters with facts by chapter, timeline:"
  api GET "/api/v1/projects/$id/chapters" | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    print("  %d. %s (%s) beats: %s" % (c["number"], c["title"], c["status"], "; ".join(c["brief"]["beats"])))'
  api GET "/api/v1/projects/$id/characters" | python3 -c '
import json, sys
for c in json.load(sys.stdin)["items"]:
    facts = ", ".join("%s=%s%s" % (f["key"], f["value"], " from ch. %d" % f["fromChapter"] if f.get("fromChapter") else "") for f in c["facts"])
    print("  %s (%s): %s" % (c["name"], c["role"], facts))'
  api GET "/api/v1/projects/$id/timeline" | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    print("  [%s] %s" % (e["storyTime"], e["description"]))'
}

# Exports the demo book to EPUB and PDF through the gateway (jobs run in Export's background) and downloads the files.
export_demo_book() {
  local id=$1 format job job_id status end head chapter file
  head=$(api GET "/api/v1/projects/$id/branches" | json "[0]['headCommitId']")
  if [[ $head == None ]]; then
    # Nothing is written yet: the writer types the first chapter's opening as a version, so there is a book to export.
    chapter=$(api GET "/api/v1/projects/$id/chapters" | json "[0]['id']")
    api PUT "/api/v1/projects/$id/chapters/$chapter/content" '{"mode":"version","branch":"main","expectedHead":null,
      "text":"The lamp at the Skerry took forty minutes to light, and Ellen Marsh gave it every one of them.\n\nAt a quarter past six a ship with no name dropped anchor off the rock, and no one came ashore."}' >/dev/null \
      || die "saving the opening failed ($api_status): $api_body"
  fi
  mkdir -p "$STATE/demo-exports"
  for format in epub pdf; do
    end=$((SECONDS + 30))
    # Export knows the book once it has consumed Projects' ProjectCreated: until then it answers 404.
    until job=$(api POST /api/v1/exports "{\"projectId\":\"$id\",\"ref\":\"main\",\"format\":\"$format\",\"options\":{\"trimSize\":\"5.5x8.5\"}}"); do
      [[ $api_status == 404 ]] && (( SECONDS < end )) || die "starting the $format export failed ($api_status): $api_body"
      sleep 0.3
    done
    job_id=$(json "['id']" <<<"$job")
    end=$((SECONDS + 120))
    while status=$(api GET "/api/v1/exports/$job_id" | json "['status']") && [[ $status == queued || $status == running ]]; do
      (( SECONDS < end )) || die "the $format export did not finish within 120 s (log: $LOGS/export.log)"
      sleep 0.5
    done
    [[ $status == completed ]] || die "the $format export $status: $(api GET "/api/v1/exports/$job_id" | json "['error']")"
    file="$STATE/demo-exports/$(api GET "/api/v1/exports/$job_id" | json "['fileName']")"
    curl -fsS "$GATEWAY/api/v1/exports/$job_id/file" -H "Authorization: Bearer $token" -o "$file" || die "downloading the $format export failed"
    echo "Exported the book to ${format^^} (Export, in the background): $file ($(stat -c %s "$file") bytes)"
  done
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

  plan_demo_book "$id"

  end=$((SECONDS + 30))
  until branches=$(api GET "/api/v1/projects/$id/branches"); do
    (( SECONDS < end )) || die "Versioning did not open the repository within 30 s ($api_status; log: $LOGS/versioning.log)"
    sleep 0.3
  done
  echo "Its repository's branches (Versioning, created from the ProjectCreated event):"
  python3 -m json.tool <<<"$branches"
  echo "What Export can export (Export read it from Versioning over gRPC):"
  api GET "/api/v1/exports/projects/$id/refs" | python3 -m json.tool || die "export refs failed ($api_status): $api_body"
  export_demo_book "$id"
  echo
  echo "Folio is up. Gateway: $GATEWAY (REST), 127.0.0.1:8081 (gRPC). Logs: $LOGS"
  echo "Sign in:  curl -s -X POST $GATEWAY/api/v1/auth/login -H 'Content-Type: application/json' -d '{\"email\":\"$email\",\"password\":\"$password\"}'"
  echo "Then:     curl -s $GATEWAY/api/v1/projects -H \"Authorization: Bearer \$TOKEN\""
  echo "Docs:     docs/API.md, docs/OPERATIONS.md.   Stop: ./run.sh stop"
}

up() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is not on PATH"
  command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl; }
  # Export makes PDFs with WeasyPrint (without it, PDF export answers 503 and the other formats still work).
  command -v weasyprint >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq weasyprint fonts-liberation; }
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
