# Shared helpers for ops/run, ops/test and ops/records. Sourced, not executed.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_DIR="$ROOT/.build/app"

log() { printf '\033[1m[records]\033[0m %s\n' "$*" >&2; }
die() { printf '[records] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root to run: $*"; fi
}

# Installs the Debian packages that are not installed yet; runs apt-get update only when something is missing.
ensure_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What the application itself runs at run time, installed by ops/run, ops/test and the Dockerfile alike:
# tzdata (statutory dates in America/New_York), fonts (released PDFs and converted documents), poppler-utils
# (pdftoppm renders pages, pdftotext checks releases), libtiff-tools (tiff2pdf: multi-page scans), tesseract with English, Spanish and Portuguese (scans; the
# languages of Massachusetts families), LibreOffice without a GUI (Word, Excel, PowerPoint and OpenDocument files
# become PDF), msgconvert (Outlook .msg), readpst (archive import of .pst), bubblewrap (converters run with no
# network in a scratch folder) and SpamAssassin's daemon (spamd scores the mail the SMTP listener receives).
RUNTIME_PACKAGES=(tzdata fonts-dejavu-core fonts-liberation fonts-crosextra-carlito fonts-crosextra-caladea poppler-utils libtiff-tools
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-por
  libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui libemail-outlook-message-perl pst-utils bubblewrap
  spamassassin spamd)

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$dir" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
  echo "$dir"
}

# Runs a PostgreSQL server program as the postgres user when we are root (initdb refuses to run as root).
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}

# init_cluster DIR PASSWORD: a private cluster, loopback only, password authentication.
init_cluster() {
  local dir="$1" password="$2" bin
  bin="$(pg_bin)"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  chmod 700 "$dir"
  local pwfile
  pwfile="$(mktemp)"
  printf '%s\n' "$password" >"$pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres "$pwfile"
  pg_as_owner "$bin/initdb" -D "$dir/cluster" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
}

# start_cluster DIR PORT: starts the cluster in DIR listening on 127.0.0.1:PORT only.
start_cluster() {
  local dir="$1" port="$2" bin
  bin="$(pg_bin)"
  mkdir -p "$dir/run"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir/run"
  pg_as_owner "$bin/pg_ctl" -D "$dir/cluster" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir/run -c listen_addresses=127.0.0.1 -c fsync=${RECORDS_PG_FSYNC:-on} -c max_connections=${RECORDS_PG_MAX_CONNECTIONS:-100}" start >/dev/null \
    || { tail -20 "$dir/postgres.log" >&2; die "PostgreSQL did not start (log: $dir/postgres.log)"; }
}

stop_cluster() {
  local dir="$1"
  [ -f "$dir/cluster/postmaster.pid" ] || return 0
  pg_as_owner "$(pg_bin)/pg_ctl" -D "$dir/cluster" -m fast -w stop >/dev/null 2>&1 || true
}

# Whether a server runs on the cluster in DIR (pg_ctl checks the process named in postmaster.pid, so a file left by a
# killed server does not count).
cluster_running() {
  [ -f "$1/cluster/PG_VERSION" ] && pg_as_owner "$(pg_bin)/pg_ctl" -D "$1/cluster" status >/dev/null 2>&1
}

# use_private_database: unless RECORDS_DB is set, points it at the private PostgreSQL of ops/run under
# $RECORDS_DATA/postgres, creating the cluster and its database on first use. A server already running there (another
# ops/run, an ops/records command, or one left behind by a killed run) is reused and left running; only a server this
# script started is stopped when it exits, and the trap that stops it is set only once the start succeeded.
use_private_database() {
  [ -n "${RECORDS_DB:-}" ] && return 0
  local dir="$RECORDS_DATA/postgres" port="${RECORDS_PG_PORT:-55432}" password
  if [ ! -f "$dir/cluster/PG_VERSION" ]; then
    ensure_packages postgresql
    log "creating a private PostgreSQL cluster in $dir"
    mkdir -p "$RECORDS_DATA"
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$RECORDS_DATA/postgres-password")
    init_cluster "$dir" "$(cat "$RECORDS_DATA/postgres-password")"
  fi
  password="$(cat "$RECORDS_DATA/postgres-password")"
  if cluster_running "$dir"; then
    # The port it was started with is the fourth line of its postmaster.pid.
    port="$(sed -n 4p "$dir/cluster/postmaster.pid")"
    log "using the private PostgreSQL already running on 127.0.0.1:$port"
  else
    start_cluster "$dir" "$port"
    PRIVATE_PG_STARTED="$dir"
    trap stop_started_servers EXIT
  fi
  if ! PGPASSWORD="$password" psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'records'" | grep -q 1; then
    PGPASSWORD="$password" psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE records" >/dev/null
  fi
  export RECORDS_DB="Host=127.0.0.1;Port=$port;Database=records;Username=postgres;Password=$password"
}

stop_private_database() {
  [ -n "${PRIVATE_PG_STARTED:-}" ] || return 0
  log "stopping the private PostgreSQL this command started"
  stop_cluster "$PRIVATE_PG_STARTED"
}

# use_private_spamd: unless Intake__Spam__Host or __Port is set (a spamd of the district's own), points the SMTP
# listener's spam scoring at a spamd of ops/run under $RECORDS_DATA/spamd, starting it unless one started earlier is
# still running there; only a spamd this script started is stopped when it exits.
use_private_spamd() {
  [ -n "${Intake__Spam__Host:-}${Intake__Spam__Port:-}" ] && return 0
  local dir="$RECORDS_DATA/spamd" port="${RECORDS_SPAMD_PORT:-10783}"
  if [ -f "$dir/spamd.pid" ] && [ -f "$dir/port" ] && kill -0 "$(cat "$dir/spamd.pid")" 2>/dev/null; then
    port="$(cat "$dir/port")"
    log "using the spamd already running on 127.0.0.1:$port"
  else
    log "starting spamd (SpamAssassin, local rules only) on 127.0.0.1:$port"
    start_spamd "$dir" "$port"
    echo "$port" >"$dir/port"
    PRIVATE_SPAMD_STARTED="$dir"
    trap stop_started_servers EXIT
  fi
  export Intake__Spam__Host=127.0.0.1 Intake__Spam__Port="$port"
}

stop_private_spamd() {
  [ -n "${PRIVATE_SPAMD_STARTED:-}" ] || return 0
  log "stopping the spamd this command started"
  stop_spamd "$PRIVATE_SPAMD_STARTED"
}

# The EXIT trap of ops/run and ops/records: stops what this command started, and only that.
stop_started_servers() {
  stop_private_spamd
  stop_private_database
}

# Publishes the application into .build/app (publish, not build, so wwwroot is beside the binary);
# when nothing changed it takes a few seconds.
build_app() {
  local dll="$APP_DIR/RecordsRequests.dll"
  if [ -f "$dll" ] && [ -z "$(find "$ROOT/src" "$ROOT/workflows" "$ROOT"/Directory.*.props -newer "$dll" -type f -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  dotnet publish "$ROOT/src/RecordsRequests/RecordsRequests.csproj" -c Release -o "$APP_DIR" --nologo -v q -clp:ErrorsOnly >&2 \
    || die "build failed"
}

# How every process that runs the product's code starts .NET (ops/run, ops/records, ops/benchmark, ops/bench-web; the
# Dockerfile sets the same): with dynamic PGO instrumenting a method from its first compilation rather than only once it
# is hot (DOTNET_TieredPGO_InstrumentOnlyHotCode=0, a setting the runtime reads from the environment only). Each hot
# method of our code and its libraries (Lucene, MimeKit, Npgsql) is then compiled twice instead of three times: an
# archive import of 50,000 Enron messages in a new process compiled about 10,500 methods instead of 13,900 and spent
# 1 to 2 s less compiling (of 30-50 s of CPU). Its rate, in three series of alternated runs on 2026-12-07: medians 2,742
# against 2,464 msg/s (five each), 2,000 against 2,027 (nine each, the machine in a slower state), 2,330 against 2,179
# (five each). At 200,000 messages, and in a warmed-up server taking in mail, it was no slower. The framework's
# precompiled code is then not instrumented, which the server's intake did not measurably miss.
PRODUCT_RUNTIME=(env DOTNET_TieredPGO_InstrumentOnlyHotCode=0)

records_app() { "${PRODUCT_RUNTIME[@]}" dotnet "$APP_DIR/RecordsRequests.dll" "$@"; }

# start_dovecot DIR PORT USER PASSWORD [MAIL_LOCATION]: a private IMAP server on 127.0.0.1:PORT for the intake tests,
# plaintext login, one user with a Maildir under DIR (or MAIL_LOCATION). Nothing is shared with a system dovecot (own
# base_dir, state_dir and log).
start_dovecot() {
  local dir="$1" port="$2" user="$3" password="$4" location="${5:-maildir:~/Maildir}" owner
  mkdir -p "$dir/base" "$dir/state" "$dir/home"
  owner="$(id -un)"; [ "$(id -u)" -eq 0 ] && owner=dovecot
  [ "$(id -u)" -eq 0 ] && chown -R dovecot:dovecot "$dir/home"
  printf '%s:{PLAIN}%s::::::\n' "$user" "$password" >"$dir/users"
  cat >"$dir/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/base
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
first_valid_gid = 1
mail_location = $location
default_internal_user = $owner
default_login_user = $owner
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = static
  args = uid=$owner gid=$owner home=$dir/home/%u
}
CONF
  /usr/sbin/dovecot -c "$dir/dovecot.conf" || { cat "$dir/dovecot.log" >&2 2>/dev/null; die "dovecot did not start"; }
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$dir/dovecot.log" >&2 2>/dev/null; die "dovecot is not listening on $port"
}

stop_dovecot() {
  local dir="$1"
  [ -f "$dir/dovecot.conf" ] && /usr/sbin/dovecot -c "$dir/dovecot.conf" stop 2>/dev/null || true
}

# start_spamd DIR PORT: SpamAssassin's daemon on 127.0.0.1:PORT, for the SMTP listener's spam scores. Local rules only:
# the rules the package ships (sa-update is never run), no network tests (--local: no DNS blocklists, Razor or Pyzor),
# no per-user settings, and the records office's settings of ops/spamd/records.cf (no Bayes learning; a message's form
# is not spam evidence); its own pid file, log and home under DIR, so it never touches a system spamd.
start_spamd() {
  local dir="$1" port="$2" user
  command -v spamd >/dev/null || die "spamd is not installed: apt-get install spamassassin spamd (ops/run and ops/test install it)"
  mkdir -p "$dir/home"
  user="$(id -un)"; [ "$(id -u)" -eq 0 ] && user=nobody
  [ "$(id -u)" -eq 0 ] && chown -R nobody "$dir/home"
  # LC_ALL=C: rule descriptions in English, whatever the machine's language (officers read them on the spam list).
  LC_ALL=C LANG=C spamd --daemonize --listen="127.0.0.1:$port" --allowed-ips=127.0.0.1 --local --nouser-config --username="$user" \
    --helper-home-dir="$dir/home" --pidfile="$dir/spamd.pid" --syslog="$dir/spamd.log" \
    --min-children=1 --max-children=4 --cf="include $ROOT/ops/spamd/records.cf" \
    || { tail -20 "$dir/spamd.log" >&2 2>/dev/null; die "spamd did not start (log: $dir/spamd.log)"; }
  # Reading the rules takes spamd a few seconds before it listens.
  for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  tail -20 "$dir/spamd.log" >&2 2>/dev/null; die "spamd is not listening on $port (log: $dir/spamd.log)"
}

stop_spamd() {
  local dir="$1" pid
  [ -f "$dir/spamd.pid" ] || return 0
  pid="$(cat "$dir/spamd.pid")"
  kill "$pid" 2>/dev/null || true
  rm -f "$dir/spamd.pid"
}
