#!/bin/bash
# Entrypoint of the Diego cell image (cell-image/README.md). Two modes, chosen by CF_MESOS_CELL_MODE:
#   diego  (production image): writes the configs of garden, rep and the loggregator agent from the environment,
#          starts them in that order, waits for rep's /ping on its admin port (1800), then runs our executor;
#          on SIGTERM (Mesos kills the container) or when any of them exits, stops them in reverse order.
#   sim    (local image): no garden/rep; execs the executor with its in-JVM simulation rep (CF_MESOS_SIM_REP=1).
set -euo pipefail

log() { printf '%s cell-entrypoint: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 2; }

mode=${CF_MESOS_CELL_MODE:-diego}
cell_id=${CF_MESOS_CELL_ID:-${MESOS_EXECUTOR_ID:-}}
data_dir=${CF_MESOS_DATA_DIR:-/var/vcap/data}
log_dir=${CF_MESOS_LOG_DIR:-/var/vcap/sys/log}
config_dir=${CF_MESOS_CONFIG_DIR:-/var/vcap/jobs}
tls_dir=${CF_MESOS_TLS_DIR:-$data_dir/cf-mesos/tls}
executor_jar=${CF_MESOS_EXECUTOR_JAR:-/opt/cf-mesos/cf-mesos-executor.jar}
ping_timeout=${CF_MESOS_REP_PING_TIMEOUT_SECONDS:-120}
stop_timeout=${CF_MESOS_STOP_TIMEOUT_SECONDS:-30}
read -r -a java_opts <<< "${CF_MESOS_JAVA_OPTS:-}"

for n in ping_timeout stop_timeout; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number of seconds, got '${!n}'"
done
[ -r "$executor_jar" ] || die "executor jar $executor_jar is missing or unreadable (CF_MESOS_EXECUTOR_JAR)"
command -v java >/dev/null 2>&1 || die "no java on PATH"

# ---- sim mode: the executor alone, its simulation rep in the same JVM (executor/README.md) ----
if [ "$mode" = sim ]; then
  export CF_MESOS_SIM_REP=1
  [ -z "${CF_MESOS_CELL_ID:-}" ] || export CF_MESOS_SIM_CELL_ID="$CF_MESOS_CELL_ID"
  log "mode sim: exec executor with the simulation rep (cell ${cell_id:-<executor id>})"
  exec java "${java_opts[@]}" -jar "$executor_jar" "$@"
fi
[ "$mode" = diego ] || die "CF_MESOS_CELL_MODE must be 'diego' or 'sim', got '$mode'"

# ---- diego mode: settings ----
missing=()
[ -n "$cell_id" ] || missing+=("CF_MESOS_CELL_ID (or MESOS_EXECUTOR_ID)")
for v in CF_MESOS_CELL_ZONE CF_MESOS_BBS_ADDRESS CF_MESOS_LOGGREGATOR_ADDRESS; do
  [ -n "${!v:-}" ] || missing+=("$v")
done
[ "${#missing[@]}" -eq 0 ] || die "missing settings: ${missing[*]}"
zone=$CF_MESOS_CELL_ZONE

# TLS material lives on the data volume (/var/vcap/data, mapped by the scheduler's ExecutorInfo), never in the image.
ca_file=${CF_MESOS_TLS_CA_FILE:-$tls_dir/ca.crt}
rep_cert=${CF_MESOS_TLS_REP_CERT_FILE:-$tls_dir/rep.crt}
rep_key=${CF_MESOS_TLS_REP_KEY_FILE:-$tls_dir/rep.key}
lgr_ca=${CF_MESOS_TLS_LOGGREGATOR_CA_FILE:-$tls_dir/loggregator-ca.crt}
lgr_cert=${CF_MESOS_TLS_LOGGREGATOR_CERT_FILE:-$tls_dir/loggregator-agent.crt}
lgr_key=${CF_MESOS_TLS_LOGGREGATOR_KEY_FILE:-$tls_dir/loggregator-agent.key}
unreadable=()
for f in "$ca_file" "$rep_cert" "$rep_key" "$lgr_ca" "$lgr_cert" "$lgr_key"; do
  [ -r "$f" ] || unreadable+=("$f")
done
[ "${#unreadable[@]}" -eq 0 ] || die "TLS files missing or unreadable: ${unreadable[*]}"

garden_addr=${CF_MESOS_GARDEN_ADDR:-127.0.0.1:7777}
# diego-release's default diego.rep.locket.api_location
locket_address=${CF_MESOS_LOCKET_ADDRESS:-locket.service.cf.internal:8891}
deployment=${CF_MESOS_DEPLOYMENT:-cf-mesos}
# The agent's own metrics endpoint (mTLS); by default it reuses the agent's identity and the loggregator CA.
metrics_port=${CF_MESOS_LOGGREGATOR_AGENT_METRICS_PORT:-14824}
metrics_ca=${CF_MESOS_TLS_METRICS_CA_FILE:-$lgr_ca}
metrics_cert=${CF_MESOS_TLS_METRICS_CERT_FILE:-$lgr_cert}
metrics_key=${CF_MESOS_TLS_METRICS_KEY_FILE:-$lgr_key}
rep_admin_port=${CF_MESOS_REP_ADMIN_PORT:-1800}
rep_secure_port=${CF_MESOS_REP_SECURE_PORT:-1801}
agent_port=${CF_MESOS_LOGGREGATOR_AGENT_PORT:-3458}
for n in rep_admin_port rep_secure_port agent_port metrics_port; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a port number, got '${!n}'"
done

# The executor is the rep's client (executor/README.md): point it at this rep unless told otherwise.
export CF_MESOS_REP_URL=${CF_MESOS_REP_URL:-https://127.0.0.1:$rep_secure_port}
export CF_MESOS_REP_ADMIN_URL=${CF_MESOS_REP_ADMIN_URL:-https://127.0.0.1:$rep_admin_port}
export CF_MESOS_REP_CA_FILE=${CF_MESOS_REP_CA_FILE:-$ca_file}
export CF_MESOS_REP_CERT_FILE=${CF_MESOS_REP_CERT_FILE:-$rep_cert}
export CF_MESOS_REP_KEY_FILE=${CF_MESOS_REP_KEY_FILE:-$rep_key}

# JSON string literal; refuses control characters rather than writing a config rep cannot parse.
json_str() {
  local s=$1
  [[ $s != *[[:cntrl:]]* ]] || die "value for the rep config contains a control character: $(printf %q "$s")"
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

write_configs() {
  mkdir -p "$config_dir/garden" "$config_dir/rep" "$config_dir/loggregator-agent" \
           "$data_dir/garden/depot" "$data_dir/rep/cache" "$data_dir/rep/tmp" \
           "$log_dir/garden" "$log_dir/rep" "$log_dir/loggregator-agent"

  # garden: gdn server flags, one per line (the flags of the standalone gdn server).
  printf '%s\n' "--bind-ip=${garden_addr%:*}" "--bind-port=${garden_addr##*:}" \
    "--depot=$data_dir/garden/depot" "--log-level=${CF_MESOS_GARDEN_LOG_LEVEL:-info}" \
    > "$config_dir/garden/server.args"

  # rep: the JSON of Diego's rep -config flag. Keys as diego-release 2.x's jobs/rep/templates/rep.json.erb writes
  # them (cloudfoundry/rep cmd/rep/config/config.go RepConfig): the admin listener is "listen_addr" (BOSH property
  # diego.rep.listen_addr_admin), one TLS identity "ca_cert_file"/"cert_file"/"key_file" serves the rep's listeners
  # and is its BBS client (bbs_*_file and server_*_file are deprecated), the cell registers its presence in Locket
  # (locket_address + locket_*_file; rep exits when it cannot reach Locket at start), and the loggregator client
  # settings sit in a nested "loggregator" object (diego-logging-client Config).
  local memory=${CF_MESOS_CELL_MEMORY_MB:-auto} disk=${CF_MESOS_CELL_DISK_MB:-auto}
  local rootfs=${CF_MESOS_CELL_ROOTFS:-cflinuxfs4:/var/vcap/packages/cflinuxfs4/rootfs.tar}
  cat > "$config_dir/rep/rep.json" <<JSON
{
  "cell_id": $(json_str "$cell_id"),
  "zone": $(json_str "$zone"),
  "bbs_address": $(json_str "$CF_MESOS_BBS_ADDRESS"),
  "locket_address": $(json_str "$locket_address"),
  "cell_registrations_locket_enabled": true,
  "listen_addr": $(json_str "127.0.0.1:$rep_admin_port"),
  "listen_addr_securable": $(json_str "0.0.0.0:$rep_secure_port"),
  "ca_cert_file": $(json_str "$ca_file"),
  "cert_file": $(json_str "$rep_cert"),
  "key_file": $(json_str "$rep_key"),
  "locket_ca_cert_file": $(json_str "$ca_file"),
  "locket_client_cert_file": $(json_str "$rep_cert"),
  "locket_client_key_file": $(json_str "$rep_key"),
  "advertise_domain": $(json_str "${CF_MESOS_REP_ADVERTISE_DOMAIN:-cell.service.cf.internal}"),
  "garden_network": "tcp",
  "garden_addr": $(json_str "$garden_addr"),
  "memory_mb": $(json_str "$memory"),
  "disk_mb": $(json_str "$disk"),
  "cache_path": $(json_str "$data_dir/rep/cache"),
  "temp_dir": $(json_str "$data_dir/rep/tmp"),
  "preloaded_root_fs": [$(json_str "$rootfs")],
  "supported_providers": ["docker"],
  "placement_tags": [],
  "optional_placement_tags": [],
  "session_name": "rep",
  "log_level": $(json_str "${CF_MESOS_REP_LOG_LEVEL:-info}"),
  "loggregator": {
    "loggregator_use_v2_api": true,
    "loggregator_api_port": $agent_port,
    "loggregator_ca_path": $(json_str "$lgr_ca"),
    "loggregator_cert_path": $(json_str "$lgr_cert"),
    "loggregator_key_path": $(json_str "$lgr_key"),
    "loggregator_job_deployment": $(json_str "$deployment"),
    "loggregator_job_name": "diego-cell",
    "loggregator_job_index": $(json_str "$cell_id"),
    "loggregator_job_origin": "rep",
    "loggregator_source_id": "rep",
    "loggregator_instance_id": $(json_str "$cell_id")
  }
}
JSON

  # loggregator agent: configured by environment variables only, sourced at start. Names as loggregator-agent-release's
  # jobs/loggregator_agent/templates/bpm.yml.erb sets them (src/cmd/loggregator-agent/app/config.go); its metrics
  # server refuses to start without METRICS_CA_FILE_PATH / _CERT_ / _KEY_ (src/pkg/config/metrics_server.go).
  {
    printf 'AGENT_PORT=%q\n' "$agent_port"
    printf 'AGENT_CA_FILE=%q\n' "$lgr_ca"
    printf 'AGENT_CERT_FILE=%q\n' "$lgr_cert"
    printf 'AGENT_KEY_FILE=%q\n' "$lgr_key"
    printf 'ROUTER_ADDR=%q\n' "$CF_MESOS_LOGGREGATOR_ADDRESS"
    printf 'ROUTER_ADDR_WITH_AZ=%q\n' "${CF_MESOS_LOGGREGATOR_ADDRESS_WITH_AZ:-$zone.$CF_MESOS_LOGGREGATOR_ADDRESS}"
    printf 'AGENT_DEPLOYMENT=%q\n' "$deployment"
    printf 'AGENT_ZONE=%q\n' "$zone"
    printf 'AGENT_JOB=%q\n' "diego-cell"
    printf 'AGENT_INDEX=%q\n' "$cell_id"
    printf 'AGENT_TAGS=%q\n' "deployment:$deployment,job:diego-cell,index:$cell_id"
    printf 'METRICS_PORT=%q\n' "$metrics_port"
    printf 'METRICS_CA_FILE_PATH=%q\n' "$metrics_ca"
    printf 'METRICS_CERT_FILE_PATH=%q\n' "$metrics_cert"
    printf 'METRICS_KEY_FILE_PATH=%q\n' "$metrics_key"
  } > "$config_dir/loggregator-agent/agent.env"
  log "configs written under $config_dir for cell $cell_id in zone $zone"
}

# ---- process supervision ----
names=()
pids=()

alive() {
  # A child that exited stays a zombie until reaped, and kill -0 still succeeds on it: read its state instead.
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  [[ ${stat##*) } != Z* ]]
}

start() {
  local name=$1; shift
  "$@" &
  names+=("$name")
  pids+=("$!")
  log "started $name (pid $!)"
}

stopped=()
rcs=()
stop_one() {
  local i=$1 waited=0 rc=0
  local name=${names[$i]} pid=${pids[$i]}
  [ -z "${stopped[$i]:-}" ] || return 0
  stopped[i]=1
  if alive "$pid"; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    while alive "$pid" && [ "$waited" -lt $((stop_timeout * 10)) ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    if alive "$pid"; then
      log "$name did not stop within ${stop_timeout}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || rc=$?
  rcs[i]=$rc
  log "$name stopped (exit $rc)"
}

stopping=0
stop_all() {
  stopping=1
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    stop_one "$i"
  done
}

on_term() {
  [ "$stopping" -eq 0 ] || return 0
  log "SIGTERM: stopping components in reverse order"
  stop_all
  # The executor drains its tasks on SIGTERM (it is stopped first); its exit code is the container's.
  if [ "${#names[@]}" -gt 0 ] && [ "${names[-1]}" = executor ]; then
    exit "${rcs[-1]}"
  fi
  exit 143
}
trap on_term TERM INT

rep_ping() {
  if [ -n "${CF_MESOS_REP_PING_CMD:-}" ]; then
    bash -c "$CF_MESOS_REP_PING_CMD" >/dev/null 2>&1
  else
    # rep's admin listener requires mutual TLS (diego-release 2.x): present the rep's own client certificate.
    curl -fsS -o /dev/null --max-time 2 --cacert "$ca_file" --cert "$rep_cert" --key "$rep_key" \
      "https://127.0.0.1:$rep_admin_port/ping" >/dev/null 2>&1
  fi
}

write_configs

if [ "${CF_MESOS_SKIP_GARDEN_SETUP:-0}" != 1 ]; then
  log "gdn setup"
  gdn setup || die "gdn setup failed (the cell container needs near-privileged mode, cell-image/README.md)"
fi
mapfile -t garden_args < "$config_dir/garden/server.args"
start garden gdn server "${garden_args[@]}"
start rep rep -config="$config_dir/rep/rep.json"
# shellcheck disable=SC2016 # $1 expands in the child bash, which sources the agent's env file
start loggregator-agent bash -c 'set -a; . "$1"; set +a; exec loggregator-agent' loggregator-agent \
  "$config_dir/loggregator-agent/agent.env"

log "waiting up to ${ping_timeout}s for rep /ping on admin port $rep_admin_port"
deadline=$((SECONDS + ping_timeout))
until rep_ping; do
  for i in "${!pids[@]}"; do
    if ! alive "${pids[$i]}"; then
      log "error: ${names[$i]} exited before rep answered /ping"
      stop_all
      exit 1
    fi
  done
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "error: rep did not answer /ping within ${ping_timeout}s"
    stop_all
    exit 1
  fi
  sleep 0.5
done
log "rep answers /ping: starting the executor for cell $cell_id"

start executor java "${java_opts[@]}" -jar "$executor_jar" "$@"

# Run until something exits: the executor (idle, shutdown, agent gone; executor/README.md exit codes) ends the cell
# with its own code; any other component dying makes the cell useless, so everything stops with exit 1.
while :; do
  wait -n || true
  for i in "${!pids[@]}"; do
    if ! alive "${pids[$i]}"; then
      stopping=1
      stop_one "$i"
      if [ "${names[$i]}" = executor ]; then
        log "executor exited with ${rcs[$i]}: stopping the cell"
        stop_all
        exit "${rcs[$i]}"
      fi
      log "error: ${names[$i]} exited with ${rcs[$i]}: stopping the cell"
      stop_all
      exit 1
    fi
  done
done
