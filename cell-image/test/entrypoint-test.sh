#!/bin/bash
# Tests cell-image/entrypoint.sh without Docker: stand-ins for gdn, rep, loggregator-agent and java (test/fakes/)
# come first on PATH and append "start X" / "stop X" to an events file; rep's /ping is replaced by a check for the
# marker file the fake rep creates once "ready" (CF_MESOS_REP_PING_CMD). Needs only bash and coreutils.
# Run: bash cell-image/test/entrypoint-test.sh   (exit 0 = all cases passed)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
entrypoint=$here/../entrypoint.sh
work=$(mktemp -d)
ep_pid=""
cleanup() {
  # SIGTERM first so the entrypoint stops its children; the fakes also end once $work is gone.
  if [ -n "$ep_pid" ] && kill -0 "$ep_pid" 2>/dev/null; then
    kill -TERM "$ep_pid" 2>/dev/null || true; sleep 1; kill -KILL "$ep_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
pass() { echo "ok   - $*"; }
fail() { echo "FAIL - $*" >&2; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
# Polls (up to 10 s) until the file contains the line.
wait_for_line() {
  local n=0
  until grep -qxF -- "$2" "$1" 2>/dev/null; do
    n=$((n + 1)); [ "$n" -le 100 ] || return 1; sleep 0.1
  done
}
wait_for_line_containing() {
  local n=0
  until grep -qF -- "$2" "$1" 2>/dev/null; do
    n=$((n + 1)); [ "$n" -le 100 ] || return 1; sleep 0.1
  done
}
events_are() { [ "$(grep -E "^$1 " "$FAKE_DIR/events" | tr '\n' ',')" = "$2" ]; }

# A fresh case directory with a fake jar and TLS files, and the settings of a production cell.
new_case() {
  FAKE_DIR=$work/$1
  mkdir -p "$FAKE_DIR/tls" "$FAKE_DIR/data" "$FAKE_DIR/log" "$FAKE_DIR/jobs"
  : > "$FAKE_DIR/events"
  : > "$FAKE_DIR/executor.jar"
  for f in ca.crt rep.crt rep.key loggregator-ca.crt loggregator-agent.crt loggregator-agent.key; do
    echo "pem" > "$FAKE_DIR/tls/$f"
  done
  export FAKE_DIR
  case_env=(
    "PATH=$here/fakes:$PATH" "FAKE_DIR=$FAKE_DIR"
    "CF_MESOS_EXECUTOR_JAR=$FAKE_DIR/executor.jar" "CF_MESOS_DATA_DIR=$FAKE_DIR/data"
    "CF_MESOS_LOG_DIR=$FAKE_DIR/log" "CF_MESOS_CONFIG_DIR=$FAKE_DIR/jobs" "CF_MESOS_TLS_DIR=$FAKE_DIR/tls"
    "MESOS_EXECUTOR_ID=cell-7" "CF_MESOS_CELL_ZONE=z1" "CF_MESOS_BBS_ADDRESS=https://bbs.service.cf.internal:8889"
    "CF_MESOS_LOGGREGATOR_ADDRESS=doppler.service.cf.internal:8082"
    "CF_MESOS_REP_PING_CMD=test -e '$FAKE_DIR/rep-ready'" "CF_MESOS_STOP_TIMEOUT_SECONDS=5"
  )
}
run_bg() { env "${case_env[@]}" "$@" bash "$entrypoint" --extra-flag > "$FAKE_DIR/out" 2>&1 & ep_pid=$!; }
# Waits (up to 30 s, so a broken entrypoint cannot hang the test) for the entrypoint; its exit code lands in rc.
finish() {
  local n=0 stat
  while stat=$(cat "/proc/$ep_pid/stat" 2>/dev/null) && [[ ${stat##*) } != Z* ]]; do
    n=$((n + 1))
    if [ "$n" -gt 300 ]; then
      echo "entrypoint still running after 30 s: SIGTERM" >&2
      kill -TERM "$ep_pid" 2>/dev/null || true; sleep 2; kill -KILL "$ep_pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  rc=0; wait "$ep_pid" || rc=$?; ep_pid=""
}
contains() { grep -qF -- "$2" "$1"; }

echo "# 1. diego mode: configs, start order, /ping wait, reverse stop on SIGTERM"
new_case diego
run_bg
check "executor started" wait_for_line "$FAKE_DIR/events" "start executor"
# The components are forked in order without waiting on each other (rep waits for garden itself), so their own
# "start" lines may interleave: the order is the entrypoint's, read from its log.
check "start order garden, rep, loggregator-agent, executor" \
  [ "$(grep -o 'started [a-z-]*' "$FAKE_DIR/out" | tr '\n' ,)" = "started garden,started rep,started loggregator-agent,started executor," ]
check "every component ran" [ "$(grep -c '^start ' "$FAKE_DIR/events")" = 4 ]
check "gdn setup ran before the server" [ "$(head -n 1 "$FAKE_DIR/events")" = "setup garden" ]
check "executor started only after rep answered /ping" [ "$(cat "$FAKE_DIR/java.rep-ready")" = yes ]
rep_json=$FAKE_DIR/jobs/rep/rep.json
check "rep runs with the written config" contains "$FAKE_DIR/rep.args" "-config=$rep_json"
check "rep.json has cell id" contains "$rep_json" '"cell_id": "cell-7"'
check "rep.json has zone" contains "$rep_json" '"zone": "z1"'
check "rep.json has BBS address" contains "$rep_json" '"bbs_address": "https://bbs.service.cf.internal:8889"'
check "rep.json has TLS files from the data volume" contains "$rep_json" "\"cert_file\": \"$FAKE_DIR/tls/rep.crt\""
check "rep.json admin listener on 1800 (listen_addr, diego-release 2.x)" contains "$rep_json" '"listen_addr": "127.0.0.1:1800"'
check "rep.json registers the cell in Locket" contains "$rep_json" '"locket_address": "locket.service.cf.internal:8891"'
check "rep.json Locket client identity" contains "$rep_json" "\"locket_client_key_file\": \"$FAKE_DIR/tls/rep.key\""
check "rep.json loggregator block" contains "$rep_json" '"loggregator_api_port": 3458'
if command -v python3 >/dev/null 2>&1; then
  check "rep.json is valid JSON" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$rep_json"
fi
check "garden flags written and used" contains "$FAKE_DIR/garden.args" "--depot=$FAKE_DIR/data/garden/depot"
check "agent got ROUTER_ADDR" contains "$FAKE_DIR/agent.env.seen" "ROUTER_ADDR=doppler.service.cf.internal:8082"
check "agent got its zone" contains "$FAKE_DIR/agent.env.seen" "AGENT_ZONE=z1"
check "agent got its TLS key" contains "$FAKE_DIR/agent.env.seen" "AGENT_KEY_FILE=$FAKE_DIR/tls/loggregator-agent.key"
check "agent got its (required) metrics TLS files" contains "$FAKE_DIR/agent.env.seen" "METRICS_KEY_FILE_PATH=$FAKE_DIR/tls/loggregator-agent.key"
check "executor runs the jar with the entrypoint's arguments" \
  [ "$(tr '\n' ' ' < "$FAKE_DIR/java.args")" = "-jar $FAKE_DIR/executor.jar --extra-flag " ]
check "executor points at the rep with the cell's TLS files" contains "$FAKE_DIR/java.env" "CF_MESOS_REP_CA_FILE=$FAKE_DIR/tls/ca.crt"
check "executor uses rep's secure port" contains "$FAKE_DIR/java.env" "CF_MESOS_REP_URL=https://127.0.0.1:1801"
check "no simulation rep in diego mode" bash -c "! grep -q CF_MESOS_SIM_REP '$FAKE_DIR/java.env'"
kill -TERM "$ep_pid"
finish
check "exit code is the executor's (0 after SIGTERM), got $rc" [ "$rc" = 0 ]
check "stop order executor, loggregator-agent, rep, garden" \
  events_are stop "stop executor,stop loggregator-agent,stop rep,stop garden,"

echo "# 2. missing settings: clear error, exit 2, nothing started"
new_case missing
rc=0; env "${case_env[@]}" CF_MESOS_CELL_ZONE= CF_MESOS_BBS_ADDRESS= bash "$entrypoint" > "$FAKE_DIR/out" 2>&1 || rc=$?
check "exit 2" [ "$rc" = 2 ]
check "names the missing settings" contains "$FAKE_DIR/out" "missing settings: CF_MESOS_CELL_ZONE CF_MESOS_BBS_ADDRESS"
check "nothing started" [ ! -s "$FAKE_DIR/events" ]

echo "# 3. missing TLS file: clear error, exit 2"
new_case notls
rm "$FAKE_DIR/tls/rep.key"
rc=0; env "${case_env[@]}" bash "$entrypoint" > "$FAKE_DIR/out" 2>&1 || rc=$?
check "exit 2" [ "$rc" = 2 ]
check "names the file" contains "$FAKE_DIR/out" "TLS files missing or unreadable: $FAKE_DIR/tls/rep.key"

echo "# 4. executor exits 3 (rep ping failure): the cell stops in reverse order with its code"
new_case exec3
run_bg FAKE_JAVA_EXIT=3
finish
check "exit code 3, got $rc" [ "$rc" = 3 ]
check "stop order loggregator-agent, rep, garden" events_are stop "stop loggregator-agent,stop rep,stop garden,"

echo "# 5. rep never answers /ping: exit 1 after the timeout, components stopped, no executor"
new_case noping
run_bg FAKE_REP_NEVER_READY=1 CF_MESOS_REP_PING_TIMEOUT_SECONDS=2
finish
check "exit code 1, got $rc" [ "$rc" = 1 ]
check "says why" contains "$FAKE_DIR/out" "rep did not answer /ping within 2s"
check "executor never started" bash -c "! grep -q 'start executor' '$FAKE_DIR/events'"
check "stop order loggregator-agent, rep, garden" events_are stop "stop loggregator-agent,stop rep,stop garden,"

echo "# 6. a component dies: the cell stops with exit 1"
new_case repdies
run_bg
check "executor started" wait_for_line "$FAKE_DIR/events" "start executor"
kill -KILL "$(cat "$FAKE_DIR/rep.pid")"
finish
check "exit code 1, got $rc" [ "$rc" = 1 ]
check "says rep exited" contains "$FAKE_DIR/out" "error: rep exited with 137"
check "stop order executor, loggregator-agent, garden" events_are stop "stop executor,stop loggregator-agent,stop garden,"

echo "# 6b. SIGTERM while waiting for rep /ping: exit 143, components stopped in reverse order"
new_case termwait
run_bg FAKE_REP_NEVER_READY=1
check "loggregator-agent started" wait_for_line "$FAKE_DIR/events" "start loggregator-agent"
check "entrypoint is waiting for /ping" wait_for_line_containing "$FAKE_DIR/out" "waiting up to"
kill -TERM "$ep_pid"
finish
check "exit code 143, got $rc" [ "$rc" = 143 ]
check "stop order loggregator-agent, rep, garden" events_are stop "stop loggregator-agent,stop rep,stop garden,"

echo "# 7. sim mode (local image): only the executor, with the simulation rep"
new_case sim
rc=0; env "${case_env[@]}" CF_MESOS_CELL_MODE=sim CF_MESOS_CELL_ZONE= FAKE_JAVA_EXIT=0 bash "$entrypoint" \
  > "$FAKE_DIR/out" 2>&1 || rc=$?
check "exit code 0, got $rc" [ "$rc" = 0 ]
check "only the executor started" events_are start "start executor,"
check "CF_MESOS_SIM_REP=1" contains "$FAKE_DIR/java.env" "CF_MESOS_SIM_REP=1"

echo "# 8. unknown mode"
new_case badmode
rc=0; env "${case_env[@]}" CF_MESOS_CELL_MODE=bogus bash "$entrypoint" > "$FAKE_DIR/out" 2>&1 || rc=$?
check "exit 2 with a clear message" [ "$rc" = 2 ]
check "message" contains "$FAKE_DIR/out" "CF_MESOS_CELL_MODE must be 'diego' or 'sim', got 'bogus'"

if [ "$failures" -eq 0 ]; then echo "entrypoint-test: all passed"; else echo "entrypoint-test: $failures failed" >&2; fi
[ "$failures" -eq 0 ]
