#!/usr/bin/env bash
# Reproduces docs/BENCHMARKS.md. Needs the stack from ./run.sh (started here if it is not running).
#   tests/Benchmarks/run.sh [gateway|versioning|generation|projects|storage|outbox|export|continuity|all]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
what=${1:-all}

if [[ $what == export ]]; then
  # Export's writers need no running stack: the corpus book straight through the writers, pandoc and git.
  dotnet build tests/Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2
  echo "== export: the corpus book to EPUB and DOCX (Folio vs pandoc), PDF, git export of the full history"
  exec dotnet tests/Benchmarks/bin/Release/net10.0/Folio.Benchmarks.dll export --runs 5
fi

if [[ $what == continuity ]]; then
  echo "== continuity: rule checks per chapter (pure, no stack needed)"
  dotnet build tests/Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2
  exec dotnet tests/Benchmarks/bin/Release/net10.0/Folio.Benchmarks.dll continuity --rounds 20
fi

./run.sh >/dev/null
eval "$(FOLIO_INFRA_DIR=$ROOT/.state/run/infra FOLIO_INFRA_NAME=folio-dev deploy/local/infra.sh env)"
dotnet build tests/Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2
bench() { dotnet tests/Benchmarks/bin/Release/net10.0/Folio.Benchmarks.dll "$@"; }

token=$(curl -fsS -X POST http://127.0.0.1:8080/api/v1/auth/login -H 'Content-Type: application/json' \
          -d '{"email":"demo@folio.local","password":"quill-and-ink-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
if [[ $what == gateway || $what == all ]]; then
  echo "== gateway overhead: GET /api/v1/continuity/rules"
  for connections in 16 1; do
    bench gateway http://127.0.0.1:5104/api/v1/continuity/rules http://127.0.0.1:8080/api/v1/continuity/rules "$token" --connections "$connections" --seconds 15
  done
fi
if [[ $what == versioning || $what == all ]]; then
  echo "== versioning: corpus replay, random reads, branches, versions, diff, merge"
  bench versioning http://127.0.0.1:5102 http://127.0.0.1:8080 "$token" --connections 16 --messages 10000
fi
if [[ $what == generation || $what == all ]]; then
  echo "== generation: orchestration overhead per chapter of 100-chapter jobs (offline provider), after eight warm-up jobs"
  # The client runs fully compiled from the start: its tiered JIT would otherwise take a core's share during the jobs.
  DOTNET_TieredCompilation=0 bench generation http://127.0.0.1:8080 --chapters 100 --runs 10 --warmup-jobs 8
fi

if [[ $what == projects || $what == all ]]; then
  echo "== projects: list and get with 1,000 books × 200 chapters"
  bench projects http://127.0.0.1:8080 http://127.0.0.1:5101 --connections 16 --messages 10000
fi
if [[ $what == storage || $what == all ]]; then
  echo "== storage: the corpus history through the content store (fresh database), next to git gc and git gc --aggressive"
  bench storage "Host=127.0.0.1;Port=$FOLIO_PG_PORT;Username=$FOLIO_PG_USER;Password=$FOLIO_PG_PASSWORD;Database=folio_benchmarks;Maximum Pool Size=50" --connections 16 --messages 10000
fi
if [[ $what == outbox || $what == all ]]; then
  echo "== outbox: commit-to-consumer"
  bench outbox "Host=127.0.0.1;Port=$FOLIO_PG_PORT;Username=$FOLIO_PG_USER;Password=$FOLIO_PG_PASSWORD;Database=folio_benchmarks;Maximum Pool Size=50" --messages 10000 --producers 8
fi
if [[ $what == all ]]; then
  echo "== export: the corpus book to EPUB and DOCX (Folio vs pandoc), PDF, git export of the full history"
  bench export --runs 5
fi
