# Shared set-up for the mrtd scripts: Debian packages and pcscd with the
# vpcd virtual reader. Sourced, not run. See ../../shared/environment.md.

MRTD_PACKAGES_BUILD=(pkg-config libpcsclite-dev)
MRTD_PACKAGES_TEST=(pcscd pcsc-tools vsmartcard-vpcd)

log() { printf '[mrtd] %s\n' "$*" >&2; }

# Installs the Debian packages given as arguments when any is missing.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Makes sure cargo is available (the machine's Rust toolchain via rustup).
ensure_cargo() {
  if ! command -v cargo >/dev/null 2>&1; then
    [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  fi
  command -v cargo >/dev/null 2>&1 || { log "cargo not found: install Rust (https://rustup.rs)"; return 1; }
}

# vpcd listens on TCP 35963 (hex 8C7B) once pcscd has loaded it; read
# /proc directly so that no extra tool is needed.
vpcd_listening() { awk '$2 ~ /:8C7B$/ && $4 == "0A" { found = 1 } END { exit !found }' /proc/net/tcp 2>/dev/null; }

MRTD_STARTED_PCSCD_PID=""

# Starts pcscd in the foreground mode (no systemd here) unless one is
# already serving the vpcd reader; remembers the PID of what it started.
# A pcscd that is alive (zombies left by a parent that never reaped them do
# not count: they hold no socket).
pcscd_alive() {
  local pid
  for pid in $(pgrep -x pcscd 2>/dev/null); do
    [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" != "Z" ] && return 0
  done
  return 1
}

start_pcscd() {
  if pcscd_alive; then
    if vpcd_listening; then
      log "using the running pcscd"
      return 0
    fi
    log "a pcscd is running without the vpcd reader (started before vsmartcard-vpcd was installed?); stop it and retry"
    return 1
  fi
  local logfile="${TMPDIR:-/tmp}/mrtd-pcscd.log"
  pcscd --foreground --error >"$logfile" 2>&1 &
  MRTD_STARTED_PCSCD_PID=$!
  for _ in $(seq 1 100); do
    vpcd_listening && { log "pcscd started (pid $MRTD_STARTED_PCSCD_PID)"; return 0; }
    kill -0 "$MRTD_STARTED_PCSCD_PID" 2>/dev/null || break
    sleep 0.1
  done
  log "pcscd did not start; its log:"; cat "$logfile" >&2
  return 1
}

# Stops the pcscd this script started, by PID, and reaps it.
stop_pcscd() {
  if [ -n "$MRTD_STARTED_PCSCD_PID" ]; then
    kill "$MRTD_STARTED_PCSCD_PID" 2>/dev/null || true
    wait "$MRTD_STARTED_PCSCD_PID" 2>/dev/null || true
    log "pcscd stopped"
    MRTD_STARTED_PCSCD_PID=""
  fi
}
