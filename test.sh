#!/usr/bin/env bash
# The test command: private PostgreSQL/RabbitMQ/Redis on test-only ports, every test project, one summary line.
#   ./test.sh            run everything
#   ./test.sh --filter X pass a filter through to every `dotnet test`
set -euo pipefail
ROOT=$(cd "$(dirname "$0")" && pwd)
cd "$ROOT"
STATE=${FOLIO_TEST_STATE_DIR:-$ROOT/.state/test}
RESULTS=$STATE/results
export FOLIO_CONFIGURATION=Release
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { echo "test.sh: $*" >&2; }

# What the tests call besides .NET: Debian's gRPC for Python (the independent interop client).
packages=()
/usr/bin/python3 -c 'import grpc, grpc_tools' >/dev/null 2>&1 || packages+=(python3-grpcio python3-grpc-tools python3-protobuf)
command -v curl >/dev/null || packages+=(curl)
# The export checkers: epubcheck, pandoc, LibreOffice, qpdf and pdftotext judge Export's files; WeasyPrint makes its PDFs.
[[ -f /usr/bin/epubcheck ]] || packages+=(epubcheck)
command -v pandoc >/dev/null || packages+=(pandoc)
command -v qpdf >/dev/null || packages+=(qpdf)
command -v pdftotext >/dev/null || packages+=(poppler-utils)
command -v weasyprint >/dev/null || packages+=(weasyprint)
command -v soffice >/dev/null || packages+=(libreoffice-writer-nogui)
[[ -d /usr/share/fonts/truetype/liberation ]] || packages+=(fonts-liberation)
if ((${#packages[@]})); then
  log "installing ${packages[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >&2
fi
command -v dotnet >/dev/null || { log "the .NET 10 SDK (dotnet) is not on PATH"; exit 1; }

# Test ports never collide with ./run.sh's (17432, 17672, 17379) or with system servers.
export FOLIO_INFRA_DIR=$STATE/infra FOLIO_INFRA_NAME=folio-test FOLIO_INFRA_FAST=1
export FOLIO_PG_PORT=${FOLIO_TEST_PG_PORT:-27432} FOLIO_RABBIT_PORT=${FOLIO_TEST_RABBIT_PORT:-27672} FOLIO_REDIS_PORT=${FOLIO_TEST_REDIS_PORT:-27379}
infra_env=$(deploy/local/infra.sh up)
eval "$infra_env"
[[ ${FOLIO_KEEP_TEST_INFRA:-0} == 1 ]] || trap 'deploy/local/infra.sh down >/dev/null 2>&1 || true' EXIT

log "building"
dotnet build Microservices.sln -c Release -nologo -v quiet -clp:ErrorsOnly >&2

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
failed_runs=0
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  log "running $name"
  if ! dotnet test "$project" -c Release --no-build --nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$RESULTS" "$@" >&2; then
    failed_runs=$((failed_runs + 1))
  fi
done

# Sum the TRX counters; a project whose run failed without a counted failure (crash, abort) counts as one failure.
read -r passed failed skipped < <(python3 - "$RESULTS" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find(".//{*}Counters")
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
print(passed, failed, skipped)
PY
)
if (( failed_runs > failed )); then failed=$failed_runs; fi

summary="$passed passed, $failed failed"
(( skipped > 0 )) && summary+=", $skipped skipped"
echo "$summary"
(( failed == 0 && failed_runs == 0 ))
