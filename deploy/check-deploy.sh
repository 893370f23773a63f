#!/usr/bin/env bash
# Checks the deployment files in deploy/ without installing, enabling or starting anything
# on this machine. Run as root on Debian 12 (deploy/setup.sh installs nginx, openssl, systemd).
#
#   bash deploy/check-deploy.sh [DIR]   # DIR: scratch directory (default: a new temporary one,
#                                       # removed at the end); everything is written there
#
# 1. shell: `bash -n` on every shell script in deploy/.
# 2. nginx: deploy/nginx/cylch.conf, included from a minimal nginx.conf in DIR with a self-signed
#    certificate (openssl) in place of the Let's Encrypt files, passes `nginx -t` (pid file,
#    logs and temporary paths in DIR: /etc/nginx is not read, no server starts, no port is
#    bound). Also: client_max_body_size equals cylch-server's --max-body default, the
#    WebSocket location's timeouts outlast the server's ping interval, /metrics is denied.
# 3. systemd: `systemd-analyze verify` accepts the three units without a single warning. It
#    runs offline (systemd need not be PID 1, as in a container) on a scratch root, DIR/root,
#    holding a copy of this system's unit files and empty stand-ins for the programs in
#    ExecStart= (verify insists that they exist). The hardening is scored with
#    `systemd-analyze security --offline`, and every option in cylch-server.service's
#    ExecStart= must be one that `cylch-server --help` lists (when build/server/cylch-server
#    has been built). Skipped, with a message, where systemd-analyze is missing or cannot
#    verify even a trivial unit here. deploy/kiosk/kiosk.conf.example must be accepted by
#    cylch-kiosk (when build/kiosk/cylch-kiosk or build-arm64/kiosk/cylch-kiosk exists).
# 4. Raspberry Pi set-up: deploy/pi/setup-kiosk.sh --root on a scratch Pi root (native kiosk;
#    again, which must change nothing; then --browser), and deploy/pi/cylch-kiosk-browser with
#    a stand-in for chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -n ${1:-} ]]; then
  mkdir -p "$1"
  dir=$(cd "$1" && pwd)
else
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
fi

failures=0
ok() { echo "check-deploy: ok   $*"; }
bad() {
  echo "check-deploy: FAIL $*" >&2
  failures=$((failures + 1))
}
skip() { echo "check-deploy: skip $*"; }

# The server pings a WebSocket that has been silent for half of its idle timeout (Beast's
# suggested server settings: 300 s idle, so a ping after 150 s; docs/protocol.md, Transport).
ws_ping_seconds=150

# --- 1. shell scripts ---------------------------------------------------------------------------
scripts=(deploy/*.sh deploy/pi/*.sh deploy/pi/cylch-kiosk-browser)
for s in "${scripts[@]}"; do
  if bash -n "$s"; then ok "bash -n $s"; else bad "bash -n $s"; fi
done

# --- 2. nginx -------------------------------------------------------------------------------------
# Size in bytes of an nginx size (1m, 512k, 1048576).
nginx_bytes() {
  local v=${1,,}
  case $v in
    *k) echo $((${v%k} * 1024)) ;;
    *m) echo $((${v%m} * 1024 * 1024)) ;;
    *g) echo $((${v%g} * 1024 * 1024 * 1024)) ;;
    *) echo "$v" ;;
  esac
}
# Seconds of an nginx time (600s, 10m, 600).
nginx_seconds() {
  local v=$1
  case $v in
    *ms) echo 0 ;;
    *s) echo "${v%s}" ;;
    *m) echo $((${v%m} * 60)) ;;
    *h) echo $((${v%h} * 3600)) ;;
    *) echo "$v" ;;
  esac
}
# The value of a directive inside the block that starts with the line matching $2.
directive_in_block() {
  awk -v start="$2" -v key="$1" '
    index($0, start) { inblock = 1; depth = 0 }
    inblock {
      line = $0; sub(/#.*/, "", line)
      if (line ~ "^[[:space:]]*" key "[[:space:]]") {
        sub("^[[:space:]]*" key "[[:space:]]+", "", line); sub(/;.*/, "", line); print line; exit
      }
      depth += gsub(/\{/, "{", line) - gsub(/\}/, "}", line)
      if (depth <= 0 && index(line, "}")) inblock = 0
    }' "$3"
}

conf=deploy/nginx/cylch.conf
if ! command -v nginx >/dev/null || ! command -v openssl >/dev/null; then
  bad "nginx and openssl are needed (bash deploy/setup.sh installs them)"
else
  n="$dir/nginx"
  mkdir -p "$n/tls" "$n/tmp"
  if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=cylch.example.org -addext subjectAltName=DNS:cylch.example.org \
    -keyout "$n/tls/privkey.pem" -out "$n/tls/fullchain.pem" 2>"$n/openssl.log"; then
    ok "openssl: self-signed certificate for cylch.example.org"
  else
    bad "openssl could not make a certificate:"
    cat "$n/openssl.log" >&2
  fi
  # The example with the certificate paths pointing at the test certificate; nothing else
  # changes.
  sed "s#/etc/letsencrypt/live/cylch.example.org/#$n/tls/#g" "$conf" >"$n/cylch.conf"
  substituted=$(grep -c "$n/tls/" "$n/cylch.conf" || true)
  if [[ $substituted != 2 ]] || grep -q /etc/letsencrypt "$n/cylch.conf"; then
    bad "$conf: expected exactly ssl_certificate and ssl_certificate_key under /etc/letsencrypt/live/cylch.example.org/"
  fi
  cat >"$n/nginx.conf" <<EOF
# Written by deploy/check-deploy.sh: only for \`nginx -t\`.
pid $n/nginx.pid;
error_log $n/error.log;
worker_processes 1;
events { worker_connections 64; }
http {
    access_log $n/access.log;
    client_body_temp_path $n/tmp/client_body;
    proxy_temp_path $n/tmp/proxy;
    fastcgi_temp_path $n/tmp/fastcgi;
    uwsgi_temp_path $n/tmp/uwsgi;
    scgi_temp_path $n/tmp/scgi;
    include $n/cylch.conf;
}
EOF
  if nginx -t -q -p "$n/" -e "$n/error.log" -c "$n/nginx.conf" >"$n/test.log" 2>&1; then
    ok "nginx -t: $conf ($(nginx -v 2>&1 | sed 's/.*: //'))"
  else
    bad "nginx -t: $conf:"
    sed 's/^/    /' "$n/test.log" >&2
  fi

  # The body limit matches the server's (docs/operations.md, Options).
  server_max_body=$(sed -n -E 's/^\| `--max-body` \| ([0-9]+) \|.*/\1/p' docs/operations.md)
  nginx_max_body=$(directive_in_block client_max_body_size 'listen 443' "$conf")
  if [[ -z $server_max_body || -z $nginx_max_body ]]; then
    bad "could not read --max-body from docs/operations.md or client_max_body_size from $conf"
  elif [[ $(nginx_bytes "$nginx_max_body") != "$server_max_body" ]]; then
    bad "client_max_body_size $nginx_max_body is not the server's --max-body $server_max_body"
  else
    ok "client_max_body_size $nginx_max_body = --max-body $server_max_body"
  fi
  # /metrics is not published through the proxy (every proxied request comes from loopback).
  if [[ $(directive_in_block deny 'location = /metrics' "$conf") == all ]]; then
    ok "location = /metrics: deny all"
  else
    bad "$conf: location = /metrics { deny all; } is missing (the proxy would publish /metrics)"
  fi
  # No version in error pages and headers; WebSocket caps as the server's (docs/operations.md).
  if [[ $(directive_in_block server_tokens 'listen 443' "$conf") == off ]]; then
    ok "server_tokens off"
  else
    bad "$conf: server_tokens off is missing in the HTTPS server"
  fi
  server_per_address=$(sed -n -E 's/^\| `--max-connections-per-address` \| ([0-9,]+) \|.*/\1/p' docs/operations.md | tr -d ,)
  nginx_per_address=$(awk '/limit_conn cylch_conn_per_address/ { gsub(";", "", $3); print $3 }' "$conf")
  if [[ -n $server_per_address && $nginx_per_address == "$server_per_address" ]]; then
    ok "limit_conn per address $nginx_per_address = --max-connections-per-address"
  else
    bad "$conf: limit_conn cylch_conn_per_address (${nginx_per_address:-none}) is not the server's --max-connections-per-address (${server_per_address:-unknown})"
  fi
  # Idle WebSockets stay open: both timeouts of the /ws location outlast the server's ping.
  for d in proxy_read_timeout proxy_send_timeout; do
    v=$(directive_in_block "$d" 'location = /ws' "$conf")
    if [[ -z $v ]]; then
      bad "$conf: no $d in location = /ws (nginx's default, 60 s, closes idle WebSockets)"
    elif (($(nginx_seconds "$v") <= ws_ping_seconds)); then
      bad "$conf: $d $v is not longer than the server's ping interval (${ws_ping_seconds} s)"
    else
      ok "$d $v > ${ws_ping_seconds} s (server ping)"
    fi
  done
fi

# --- 3. systemd units ---------------------------------------------------------------------------
units=(deploy/systemd/cylch-server.service deploy/systemd/cylch-kiosk.service
  deploy/pi/cylch-kiosk-browser.service deploy/systemd/cylch-purge.service
  deploy/systemd/cylch-purge.timer)
if ! command -v systemd-analyze >/dev/null; then
  skip "systemd-analyze verify: systemd-analyze is not installed (apt-get install systemd)"
else
  root="$dir/root"
  mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd"
  cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
  # Empty stand-ins for the programs the units start.
  for u in "${units[@]}"; do
    sed -n -E 's/^Exec[A-Za-z]*=[-@+!:]*(\/[^ ]+).*/\1/p' "$u"
  done | sort -u | while read -r prog; do
    mkdir -p "$root$(dirname "$prog")"
    printf '#!/bin/sh\nexit 0\n' >"$root$prog"
    chmod 0755 "$root$prog"
  done
  # Can verify work here at all? A trivial unit must pass.
  printf '[Unit]\nDescription=canary\n[Service]\nExecStart=/bin/true\n' \
    >"$root/etc/systemd/system/cylch-canary.service"
  mkdir -p "$root/bin" && printf '#!/bin/sh\n' >"$root/bin/true" && chmod 0755 "$root/bin/true"
  if ! systemd-analyze verify --man=no --root="$root" \
    "$root/etc/systemd/system/cylch-canary.service" >"$dir/canary.log" 2>&1; then
    skip "systemd-analyze verify cannot verify even a trivial unit here:"
    sed 's/^/    /' "$dir/canary.log"
  else
    for u in "${units[@]}"; do
      name=$(basename "$u")
      cp "$u" "$root/etc/systemd/system/$name"
      # Any output is a warning (unknown key, bad value, missing program): fail on it.
      if systemd-analyze verify --man=no --root="$root" "$root/etc/systemd/system/$name" \
        >"$dir/verify.log" 2>&1 && [[ ! -s $dir/verify.log ]]; then
        ok "systemd-analyze verify $u"
      else
        bad "systemd-analyze verify $u:"
        sed 's/^/    /' "$dir/verify.log" >&2
      fi
    done
    # Exposure scores (0 = locked down, 10 = exposed); the two units this project controls
    # fully must stay well hardened. The browser's is printed only (Chromium needs more).
    for spec in cylch-server.service:2.0 cylch-kiosk.service:2.5 cylch-kiosk-browser.service:-; do
      name=${spec%%:*} limit=${spec#*:}
      score=$(systemd-analyze security --offline=yes --root="$root" \
        "$root/etc/systemd/system/$name" 2>/dev/null |
        sed -n -E 's/.*Overall exposure level for [^:]*: ([0-9.]+).*/\1/p')
      if [[ -z $score ]]; then
        skip "systemd-analyze security --offline: no score for $name"
      elif [[ $limit == - ]]; then
        ok "exposure of $name: $score (not limited)"
      elif awk -v s="$score" -v l="$limit" 'BEGIN { exit !(s <= l) }'; then
        ok "exposure of $name: $score <= $limit"
      else
        bad "exposure of $name: $score > $limit (systemd-analyze security --offline=yes deploy/…/$name)"
      fi
    done
  fi
fi

# The unit starts cylch-server with options it has.
server_bin=build/server/cylch-server
if [[ -x $server_bin ]]; then
  help=$("$server_bin" --help)
  missing_opts=()
  for o in $(sed -n '/^ExecStart=/,/[^\\]$/p' deploy/systemd/cylch-server.service |
    grep -oE -- '--[a-z][a-z-]*'); do
    grep -qE -- "^ +$o " <<<"$help" || missing_opts+=("$o")
  done
  if ((${#missing_opts[@]})); then
    bad "cylch-server.service uses options that $server_bin --help does not list: ${missing_opts[*]}"
  else
    ok "cylch-server.service's ExecStart options are all in cylch-server --help"
  fi
  # The purge unit, likewise, against the purge command's own options.
  purge_help=$("$server_bin" purge --help)
  missing_opts=()
  for o in $(sed -n '/^ExecStart=/,/[^\\]$/p' deploy/systemd/cylch-purge.service |
    grep -oE -- '--[a-z][a-z-]*'); do
    grep -qE -- "^ +$o " <<<"$purge_help" || missing_opts+=("$o")
  done
  if ((${#missing_opts[@]})); then
    bad "cylch-purge.service uses options that cylch-server purge --help does not list: ${missing_opts[*]}"
  else
    ok "cylch-purge.service's ExecStart options are all in cylch-server purge --help"
  fi
else
  skip "ExecStart options against cylch-server --help ($server_bin is not built yet)"
fi

# deploy/kiosk/kiosk.conf.example is a valid configuration of cylch-kiosk: every line (the
# commented-out gpio-led and lang too) is read, and the values pass the program's own checks.
# The program stops with exit code 2 on the first bad option; an out-of-range --debounce-ms on
# the command line (which wins over the file) is the last check, so reaching it means the file
# is good. The token file of the example is replaced by a scratch one.
kiosk_cmd=()
if [[ -x build/kiosk/cylch-kiosk ]]; then
  kiosk_cmd=(build/kiosk/cylch-kiosk)
elif [[ -x build-arm64/kiosk/cylch-kiosk ]] && command -v qemu-aarch64-static >/dev/null; then
  kiosk_cmd=(qemu-aarch64-static build-arm64/kiosk/cylch-kiosk)
fi
if ((${#kiosk_cmd[@]})); then
  sed -E 's/^# (gpio-led|lang) = /\1 = /' deploy/kiosk/kiosk.conf.example >"$dir/kiosk.conf"
  echo token >"$dir/kiosk-token"
  rc=0
  "${kiosk_cmd[@]}" --config "$dir/kiosk.conf" --token-file "$dir/kiosk-token" \
    --debounce-ms 5000 >"$dir/kiosk.log" 2>&1 || rc=$?
  if [[ $rc == 2 ]] && grep -q -- '--debounce-ms must be' "$dir/kiosk.log"; then
    ok "kiosk.conf.example is accepted by ${kiosk_cmd[*]}"
  else
    bad "kiosk.conf.example is not accepted by ${kiosk_cmd[*]} (exit $rc):"
    sed 's/^/    /' "$dir/kiosk.log" >&2
  fi
else
  skip "kiosk.conf.example against cylch-kiosk (build/kiosk/cylch-kiosk is not built yet)"
fi

# --- 4. Raspberry Pi set-up ---------------------------------------------------------------------
pi="$dir/pi"
mkdir -p "$pi/etc" "$pi/usr/lib/systemd/system" "$pi/usr/sbin" "$pi/boot/firmware" \
  "$pi/etc/systemd/system/getty.target.wants" "$pi/etc/systemd/system/network-online.target.wants"
ln -s usr/lib "$pi/lib"
cp /etc/passwd /etc/group /etc/login.defs "$pi/etc/"
for f in shadow gshadow; do [[ -f /etc/$f ]] && cp "/etc/$f" "$pi/etc/"; done
for f in passwd group shadow gshadow; do
  [[ -f $pi/etc/$f ]] && sed -i -E '/^(gpio|cylch-kiosk):/d' "$pi/etc/$f"
done
printf '#!/bin/sh\nexit 1\n' >"$pi/usr/sbin/nologin" && chmod 0755 "$pi/usr/sbin/nologin"
# A fresh Raspberry Pi OS: login prompt on tty1, desktop, waiting for the network.
for u in getty@.service multi-user.target graphical.target network-online.target getty.target; do
  [[ -f /usr/lib/systemd/system/$u ]] && cp "/usr/lib/systemd/system/$u" "$pi/usr/lib/systemd/system/"
done
for w in NetworkManager-wait-online.service systemd-networkd-wait-online.service; do
  printf '[Unit]\nDescription=%s\n[Service]\nType=oneshot\nExecStart=/bin/true\n[Install]\nWantedBy=network-online.target\n' \
    "$w" >"$pi/usr/lib/systemd/system/$w"
  ln -s "/lib/systemd/system/$w" "$pi/etc/systemd/system/network-online.target.wants/$w"
done
ln -s /lib/systemd/system/getty@.service "$pi/etc/systemd/system/getty.target.wants/getty@tty1.service"
ln -s /lib/systemd/system/graphical.target "$pi/etc/systemd/system/default.target"
echo 'console=serial0,115200 console=tty1 root=PARTUUID=0a1b2c3d-02 rootfstype=ext4 fsck.repair=yes rootwait quiet' \
  >"$pi/boot/firmware/cmdline.txt"
# A stand-in for the arm64 program: an ELF header for AArch64 (e_machine 183).
fake="$dir/cylch-kiosk-arm64"
{
  printf '\177ELF\002\001\001'
  head -c 9 /dev/zero
  printf '\002\000\267\000'
  head -c 44 /dev/zero
} >"$fake"

snapshot() { # names, modes, owners, link targets and contents of everything under the Pi root
  (cd "$pi" && find . -printf '%p %m %U:%G %l\n' | sort &&
    find . -type f -print0 | sort -z | xargs -0 md5sum)
}
check() { # check DESCRIPTION COMMAND…
  local what=$1
  shift
  if "$@"; then ok "setup-kiosk: $what"; else bad "setup-kiosk: $what"; fi
}
link_to() { [[ -L $1 && $(readlink "$1") == "$2" ]]; }
sys="$pi/etc/systemd/system"
wants="$sys/multi-user.target.wants"
cmdline="$pi/boot/firmware/cmdline.txt"
getty_off() {
  [[ ! -e $sys/getty.target.wants/getty@tty1.service ]] &&
    link_to "$sys/getty@tty1.service" /dev/null && link_to "$sys/autovt@tty1.service" /dev/null
}
no_wait_online() { ! compgen -G "$sys/network-online.target.wants/*wait-online*" >/dev/null; }
boots_multi_user() { [[ $(readlink "$sys/default.target") == */multi-user.target ]]; }
blank_off_once() {
  [[ $(wc -l <"$cmdline") == 1 && $(grep -o 'consoleblank=0' "$cmdline" | wc -l) == 1 ]]
}
browser_only() { [[ -L $wants/cylch-kiosk-browser.service && ! -e $wants/cylch-kiosk.service ]]; }

if ! bash deploy/pi/setup-kiosk.sh --root "$pi" "$fake" >"$dir/setup1.log" 2>&1; then
  bad "setup-kiosk.sh --root (native) failed:"
  sed 's/^/    /' "$dir/setup1.log" >&2
else
  ok "setup-kiosk.sh --root $pi (native kiosk)"
  kiosk_gid=$(awk -F: '$1 == "cylch-kiosk" { print $3 }' "$pi/etc/group")
  check "program installed" cmp -s "$fake" "$pi/usr/local/bin/cylch-kiosk"
  check "user cylch-kiosk" \
    grep -q '^cylch-kiosk:.*:/var/lib/cylch-kiosk:/usr/sbin/nologin$' "$pi/etc/passwd"
  check "group gpio" grep -q '^gpio:' "$pi/etc/group"
  check "kiosk.conf from the example, root:cylch-kiosk 0640" \
    test "$(stat -c '%a %u %g' "$pi/etc/cylch/kiosk.conf")" = "640 0 $kiosk_gid"
  check "cylch-kiosk.service enabled" test -L "$wants/cylch-kiosk.service"
  check "getty@tty1 disabled and masked" getty_off
  check "no waiting for the network at boot" no_wait_online
  check "boots to multi-user.target" boots_multi_user
  check "consoleblank=0 added once" blank_off_once
  check "gpio udev rule" test -f "$pi/etc/udev/rules.d/60-cylch-gpio.rules"

  echo '# a local edit' >>"$pi/etc/cylch/kiosk.conf"
  before=$(snapshot)
  bash deploy/pi/setup-kiosk.sh --root "$pi" "$fake" >"$dir/setup2.log" 2>&1 ||
    bad "setup-kiosk.sh, second run failed"
  after=$(snapshot)
  if [[ $before == "$after" ]]; then
    ok "setup-kiosk.sh again: nothing changed (idempotent; the edited kiosk.conf is kept)"
  else
    bad "setup-kiosk.sh again changed:"
    diff <(echo "$before") <(echo "$after") | sed 's/^/    /' >&2
  fi

  if bash deploy/pi/setup-kiosk.sh --root "$pi" --browser >"$dir/setup3.log" 2>&1; then
    check "--browser: browser unit enabled, native unit disabled" browser_only
    check "--browser: PAM service and launcher" \
      test -f "$pi/etc/pam.d/cylch-kiosk-browser" -a -x "$pi/usr/local/bin/cylch-kiosk-browser"
  else
    bad "setup-kiosk.sh --root --browser failed:"
    sed 's/^/    /' "$dir/setup3.log" >&2
  fi
fi

# The browser launcher, with a stand-in for chromium that records its arguments.
b="$dir/browser"
mkdir -p "$b/bin" "$b/state"
printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s/args"\n' "$b" >"$b/bin/chromium"
chmod 0755 "$b/bin/chromium"
token=AbCdEf0123456789_-AbCdEf0123456789_-abcdef
printf '%s\n' "$token" >"$b/token"
sed -e 's|^server = .*|server = http://192.0.2.7:8080/  # the server|' \
  -e 's|^kiosk = .*|kiosk = k_abc123def456|' -e "s|^token-file = .*|token-file = $b/token|" \
  deploy/kiosk/kiosk.conf.example >"$b/kiosk.conf"
chromium_args_ok() {
  grep -qx -- --kiosk "$b/args" && grep -qx "file://$b/state/start.html" "$b/args" &&
    grep -qx -- "--user-data-dir=$b/state/chromium" "$b/args" && ! grep -q incognito "$b/args"
}
token_hidden() { ! grep -qF "$token" "$b/args"; }
page="http://192.0.2.7:8080/k/#kiosk=k_abc123def456&token=$token&reset=5&interval=3"
if PATH="$b/bin:$PATH" CYLCH_KIOSK_CONF="$b/kiosk.conf" STATE_DIRECTORY="$b/state" \
  bash deploy/pi/cylch-kiosk-browser >"$b/log" 2>&1; then
  check "browser: start page opens /k/#kiosk=…&token=…" grep -qF "\"$page\"" "$b/state/start.html"
  check "browser: start page readable only by its owner" \
    test "$(stat -c %a "$b/state/start.html")" = 600
  check "browser: chromium --kiosk on the start page, persistent profile" chromium_args_ok
  check "browser: the token is not on chromium's command line" token_hidden
else
  bad "deploy/pi/cylch-kiosk-browser failed:"
  sed 's/^/    /' "$b/log" >&2
fi

if ((failures)); then
  echo "check-deploy: $failures check(s) failed" >&2
  exit 1
fi
echo "check-deploy: all checks passed"
