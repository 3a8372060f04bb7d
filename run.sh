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

# The generation saga writes the planned chapters one after another; its progress is printed as it goes.
generate_demo_book() {
  local id=$1 job job_id state="" line last="" end=$((SECONDS + 300))
  job=$(api POST /api/v1/generation/jobs "{\"projectId\":\"$id\",\"fromChapter\":1,\"toChapter\":3,\"continuity\":{\"policy\":\"check\"},\"rollbackPolicy\":\"chapter\"}") \
    || die "starting the generation job failed ($api_status): $api_body"
  job_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$job")
  echo
  echo "Generating chapters 1-3 with the offline writer (job $job_id, Generation saga):"
  while [[ $state != Completed && $state != Failed && $state != Cancelled ]]; do
    (( SECONDS < end )) || die "the generation job did not finish within 300 s (log: $LOGS/generation.log)"
    job=$(api GET "/api/v1/generation/jobs/$job_id") || die "reading the job failed ($api_status): $api_body"
    line=$(python3 -c '
import json, sys
job = json.load(sys.stdin)
chapter = next((c for c in job["chapters"] if c["number"] == job.get("currentChapter")), None)
active = chapter is not None and job["state"] in ("Running", "Compensating")
where = "chapter %d (%s): %s" % (chapter["number"], chapter["title"], chapter["status"]) if active else ""
print("%s|  %3d%%  %-12s %s" % (job["state"], job["progress"], job["state"].lower(), where))' <<<"$job")
    state=${line%%|*}
    [[ ${line#*|} != "$last" ]] && echo "${line#*|}" && last=${line#*|}
    sleep 0.3
  done
  python3 -c '
import json, sys
job = json.load(sys.stdin)
for c in job["chapters"]:
    print("  chapter %d: %s, %d words, commit %s, continuity: %s" % (c["number"], c["status"], c["words"], (c["commitId"] or "-")[:12], c["continuity"]))
if job.get("stopReason"):
    print("  stopped: " + job["stopReason"])' <<<"$job"
  [[ $state == Completed ]] || die "the generation job ended $state"
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

# A chapter with planted continuity errors, committed in Versioning and checked by Continuity against the plan.
continuity_demo() {
  local id=$1 chapter check end head
  end=$((SECONDS + 30))
  until [[ $(api GET "/api/v1/projects/$id/continuity/chapters" | json ".__len__()" 2>/dev/null) == 3 ]]; do
    (( SECONDS < end )) || die "Continuity did not learn the chapters within 30 s ($api_status; log: $LOGS/continuity.log)"
    sleep 0.3
  done
  chapter=$(api GET "/api/v1/projects/$id/chapters" | json "[0]['id']")
  # The writer replaces the generated chapter 1 by hand, on top of the branch as the saga left it.
  head=$(api GET "/api/v1/projects/$id/branches" | json "[0]['headCommitId']" | sed 's/^None$//')
  api PUT "/api/v1/projects/$id/chapters/$chapter/content" '{"mode":"version","expectedHead":'"$( [[ -n $head ]] && echo "\"$head\"" || echo null)"',
    "text":"The lamp was lit at dusk, as it had been every night for eleven years.\n\nEllen Marsh'"'"'s blue eyes searched the dark water for the ship.\n\nTom Marsh waved from the landing stage.\n\nIt was now the middle of June, and the nights were short."}' >/dev/null \
    || die "committing chapter 1 failed ($api_status): $api_body"
  end=$((SECONDS + 30))
  until api GET "/api/v1/projects/$id/continuity/chapters/$chapter/checks" | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin) else 1)' 2>/dev/null; do
    (( SECONDS < end )) || die "Continuity did not check the committed chapter within 30 s (log: $LOGS/continuity.log)"
    sleep 0.3
  done
  check=$(api POST "/api/v1/projects/$id/continuity/chapters/$chapter/checks" '{"ref":"main"}') || die "the continuity check failed ($api_status): $api_body"
  echo "A continuity check of chapter 1 with planted errors (Continuity read it from Versioning over gRPC):"
  python3 -c '
import json, sys
run = json.load(sys.stdin)
print("  status: %s at commit %s; passed: %s" % (run["status"], run["commit"][:12], ", ".join(run["passedRules"])))
for v in run["violations"]:
    print("  [%s] %s, line %d: %s" % (v["severity"], v["rule"], v["location"]["line"], v["location"]["text"]))
    print("      %s" % v["description"])
    for e in v["evidence"]:
        print("      evidence: %s" % e["text"])' <<<"$check"
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
  generate_demo_book "$id"
  echo "What Export can export (Export read it from Versioning over gRPC):"
  api GET "/api/v1/exports/projects/$id/refs" | python3 -m json.tool || die "export refs failed ($api_status): $api_body"
  continuity_demo "$id"
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
