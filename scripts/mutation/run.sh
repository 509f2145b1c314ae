#!/usr/bin/env bash
# Mutation testing of Conform's security code with gremlins
# (github.com/go-gremlins/gremlins). Usage, from anywhere:
#
#   scripts/mutation/run.sh [target ...]    # default: every target
#
# Every line of the mutated files counts as covered (see the go stand-in),
# so each mutant is either killed or lived. Targets: access, audit, app (sign-in, sessions, throttling, tokens and
# organisation scope), restapi (If-Match and the API's error mapping), web
# (CSRF and the session cookie). Each writes a JSON report and a log to
# $MUTATION_OUT (default /tmp/conform-mutation). Runs on SQLite alone, with
# two workers; expect about an hour for all targets on two cores.
# MUTATION_FROM_LINE=N tries only the mutants from line N of the mutated
# file on (the others are written down as skipped), to finish a run that
# stopped there.
# docs/security.md records the score and what each surviving mutant is.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/scripts/mutation"
out=${MUTATION_OUT:-/tmp/conform-mutation}
workers=${MUTATION_WORKERS:-2}
mkdir -p "$out"
export MUTATION_OUT="$out" # the go stand-in writes its verdicts there
command -v gremlins >/dev/null || go install github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
export PATH="$here:$PATH:$(go env GOPATH)/bin" # the go stand-in first
unset CONFORM_TEST_POSTGRES CONFORM_REQUIRE_POSTGRES
cd "$root"

# only lists the files of a package to mutate; every other .go file in it
# is excluded (gremlins matches paths relative to the package).
only() {
  local dir=$1; shift
  local keep=" $* "
  for f in $(cd "$dir" && find . -name '*.go' ! -name '*_test.go' | sed 's|^\./||'); do
    [[ "$keep" == *" $f "* ]] || printf -- '-E\n^%s$\n' "${f//./\\.}"
  done
}

run() {
  local name=$1 pkg=$2; shift 2
  echo "== $name ($(date -u +%H:%M:%S))"
  mapfile -t excl < <(only "$pkg" "$@")
  gremlins unleash --workers "$workers" --timeout-coefficient "${MUTATION_TIMEOUT_COEFFICIENT:-3}" "${excl[@]}" -o "$out/$name.json" "./$pkg" 2>&1 | tee "$out/$name.log" | grep -E 'LIVED|TIMED OUT|^(Killed|Timed|Test efficacy|Mutator coverage)' || true
}

targets=${*:-access audit app restapi web}
for t in $targets; do
  case $t in
    access) MUTATION_ALL_COVERED=1 run access internal/access access.go platform.go ;;
    audit) MUTATION_ALL_COVERED=1 run audit internal/audit audit.go checkpoint.go fields.go security.go ;;
    app) MUTATION_ALL_COVERED=1 MUTATION_ALSO=github.com/conform-itsm/conform/internal/server \
      MUTATION_RUN='SignIn|Login|Session|Token|Scope|Requester|CSRF|Password|MFA|EveryRoute|APIScenarios|Idle|Owner|Outranks|Throttle|AddArea|Security|Organisation|EveryPage|DeletedUsersRecords' \
      run app internal/app signin.go auth.go records.go tokens.go users.go organisations.go ;;
    restapi) MUTATION_ALL_COVERED=1 MUTATION_ALSO=github.com/conform-itsm/conform/internal/server \
      MUTATION_RUN='IfMatch|AtVersions|APIScenarios|Generated|OpenAPI|BodyNeedsJSON|ResponseHeaders|BadToken|ErrorsNeverEcho|Scope|Requester|EveryRoute|PasswordChangeThrottledAPI' \
      run restapi internal/restapi api.go records.go ;;
    web) MUTATION_ALL_COVERED=1 MUTATION_ALSO=github.com/conform-itsm/conform/internal/server \
      MUTATION_RUN='CSRF|Session|Login|SignIn|MFA|Cookie|Idle|Password|EveryRoute|Scope|Requester|Unrouted|AuditEntryLinks|TemplateFuncs|FirstLoad|Navigation|EvidencePages|NotificationsAPIAndBell|KeepsAnOrganisation|ErrorPage' \
      run web internal/web web.go ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
done
