#!/usr/bin/env bash
# Sets up a Raspberry Pi (Raspberry Pi OS bookworm, arm64; Lite is enough) as a Cylch kiosk.
# Run as root on the Pi, from a copy of the repository's deploy/ folder. Idempotent: run it
# again to update the program or to switch between the two kinds of kiosk.
#
#   bash deploy/pi/setup-kiosk.sh path/to/cylch-kiosk   # native kiosk: terminal UI on tty1 and
#                                                       # GPIO buttons (cylch-kiosk.service)
#   bash deploy/pi/setup-kiosk.sh --browser             # touchscreen: the web client's kiosk page
#                                                       # in Chromium (cylch-kiosk-browser.service)
# cylch-kiosk is the arm64 program from deploy/cross-arm64.sh (build-arm64/kiosk/cylch-kiosk).
#
# What it does: installs the runtime packages; installs the program to /usr/local/bin; creates
# the user cylch-kiosk (and the group gpio if missing, with a udev rule for /dev/gpiochip*);
# creates /etc/cylch/kiosk.conf from deploy/kiosk/kiosk.conf.example if it does not exist;
# installs and enables the unit (and disables the other kind); takes tty1 from the login
# prompt (masks getty@tty1 and autovt@tty1: log in on tty2 with Ctrl-Alt-F2, or over SSH);
# boots to the console (multi-user.target); turns console blanking off (consoleblank=0 in
# cmdline.txt); stops waiting for the network at boot (disables *-wait-online.service).
# It does not start the kiosk (you may be sitting at tty1): reboot, or
# `systemctl restart cylch-kiosk` (a kiosk that is already running is restarted).
#
# Options:
#   --browser        set up the browser kiosk instead of the native one (no program needed)
#   --no-packages    do not install Debian packages
#   --root DIR       work on the file system mounted at DIR instead of / (no packages, no
#                    service manager, no udev; used by deploy/check-deploy.sh)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
deploy=$(dirname "$here")

mode=native
root=
packages=yes
binary=
while (($#)); do
  case $1 in
    --browser) mode=browser ;;
    --no-packages) packages=no ;;
    --root)
      root=${2:?--root needs a directory}
      shift
      ;;
    --root=*) root=${1#--root=} ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "setup-kiosk: unknown option $1 (see --help)" >&2
      exit 2
      ;;
    *) binary=$1 ;;
  esac
  shift
done
root=${root%/}
live=yes # working on the running system
if [[ -n $root ]]; then
  live=no
  packages=no
  [[ -d $root ]] || { echo "setup-kiosk: --root $root is not a directory" >&2; exit 2; }
fi
R=$root
say() { echo "setup-kiosk: $*"; }
die() {
  echo "setup-kiosk: $*" >&2
  exit 1
}

[[ $EUID -eq 0 ]] || die "run as root (sudo bash $0 …)"

# --- the program ------------------------------------------------------------------------------
is_arm64_elf() { # ELF magic, 64-bit class, e_machine 183 (AArch64, little-endian)
  [[ $(od -An -tx1 -N5 "$1" | tr -d ' \n') == 7f454c4602 ]] &&
    [[ $(od -An -tu2 -j18 -N2 "$1" | tr -d ' \n') == 183 ]]
}
if [[ $mode == native ]]; then
  if [[ -z $binary ]]; then
    [[ -x $R/usr/local/bin/cylch-kiosk ]] ||
      die "give the cylch-kiosk program (arm64, from deploy/cross-arm64.sh) as an argument"
  else
    [[ -f $binary ]] || die "$binary: no such file"
    is_arm64_elf "$binary" || die "$binary is not an arm64 (aarch64) program"
  fi
fi
if [[ $live == yes ]] && command -v dpkg >/dev/null; then
  arch=$(dpkg --print-architecture)
  [[ $mode == browser || $arch == arm64 ]] ||
    die "this system is $arch; cylch-kiosk is built for arm64 (use the 64-bit Raspberry Pi OS)"
fi

# --- packages ---------------------------------------------------------------------------------
# The shared libraries cylch-kiosk links (readelf -d: boost_program_options, ncursesw, tinfo,
# sqlite3, gpiod, systemd, ssl/crypto for https servers (with ca-certificates), icuuc (the
# shared protocol code's text checks), stdc++;
# SQLiteCpp is linked statically, Debian has no shared package of it), plus gpiod (gpioinfo, gpioget: checking the wiring) and util-linux (setterm).
if [[ $mode == native ]]; then
  wanted=(libgpiod2 gpiod libncursesw6 libtinfo6 libsqlite3-0 libboost-program-options1.81.0
    libsystemd0 libssl3 ca-certificates libicu72 libstdc++6 util-linux)
else
  wanted=(cage chromium fonts-dejavu-core libpam-systemd dbus)
fi
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if [[ $packages == yes ]]; then
  missing=()
  for p in "${wanted[@]}"; do
    installed "$p" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Older Raspberry Pi OS images call the browser chromium-browser.
    if [[ $mode == browser ]] && ! installed chromium &&
      { installed chromium-browser || ! apt-cache show chromium >/dev/null 2>&1; }; then
      missing=("${missing[@]/#chromium/chromium-browser}")
    fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# --- users and groups -------------------------------------------------------------------------
rootopt=()
[[ -n $R ]] && rootopt=(--root "$R")
group_exists() { grep -q "^$1:" "$R/etc/group"; }
gid_of() { awk -F: -v g="$1" '$1 == g { print $3 }' "$R/etc/group"; }
if ! group_exists gpio; then
  say "creating the group gpio"
  groupadd "${rootopt[@]}" --system gpio
fi
if ! grep -q '^cylch-kiosk:' "$R/etc/passwd"; then
  say "creating the user cylch-kiosk"
  useradd "${rootopt[@]}" --system --user-group --home-dir /var/lib/cylch-kiosk \
    --no-create-home --shell /usr/sbin/nologin --comment "Cylch kiosk" cylch-kiosk
fi
kiosk_gid=$(gid_of cylch-kiosk)
[[ -n $kiosk_gid ]] || die "no group cylch-kiosk in $R/etc/group"

# /dev/gpiochip* to the group gpio (Raspberry Pi OS has such a rule already; plain Debian not).
rule="$R/etc/udev/rules.d/60-cylch-gpio.rules"
rule_text='SUBSYSTEM=="gpio", KERNEL=="gpiochip*", GROUP="gpio", MODE="0660"'
if [[ $mode == native ]] && [[ ! -f $rule || $(cat "$rule") != "$rule_text" ]]; then
  mkdir -p "$(dirname "$rule")"
  printf '%s\n' "$rule_text" >"$rule"
  if [[ $live == yes ]] && command -v udevadm >/dev/null && [[ -d /run/udev ]]; then
    udevadm control --reload && udevadm trigger --subsystem-match=gpio || true
  fi
fi

# --- files ------------------------------------------------------------------------------------
if [[ $mode == native && -n $binary ]]; then
  install -D -m 0755 "$binary" "$R/usr/local/bin/cylch-kiosk"
  say "installed /usr/local/bin/cylch-kiosk"
  if [[ $live == yes ]] && command -v ldd >/dev/null; then
    if ldd "$R/usr/local/bin/cylch-kiosk" | grep 'not found'; then
      die "cylch-kiosk needs the libraries above (not found)"
    fi
  fi
fi
if [[ $mode == browser ]]; then
  install -D -m 0755 "$here/cylch-kiosk-browser" "$R/usr/local/bin/cylch-kiosk-browser"
  install -d -m 0755 "$R/etc/pam.d"
  cat >"$R/etc/pam.d/cylch-kiosk-browser" <<'EOF'
# cylch-kiosk-browser.service (PAMName=): a logind session on tty1 for cage.
auth     required pam_unix.so nullok
account  required pam_unix.so
session  required pam_unix.so
session  required pam_systemd.so
EOF
fi

if [[ ! -d $R/etc/cylch ]]; then
  install -d -m 0750 -o 0 -g "$kiosk_gid" "$R/etc/cylch"
fi
if [[ ! -e $R/etc/cylch/kiosk.conf ]]; then
  install -m 0640 -o 0 -g "$kiosk_gid" "$deploy/kiosk/kiosk.conf.example" "$R/etc/cylch/kiosk.conf"
  say "created /etc/cylch/kiosk.conf: set server and kiosk, and put the token in /etc/cylch/kiosk-token"
fi

install -d -m 0755 "$R/etc/systemd/system"
install -m 0644 "$deploy/systemd/cylch-kiosk.service" "$R/etc/systemd/system/"
install -m 0644 "$here/cylch-kiosk-browser.service" "$R/etc/systemd/system/"
if [[ $mode == native ]]; then
  unit=cylch-kiosk.service other=cylch-kiosk-browser.service
else
  unit=cylch-kiosk-browser.service other=cylch-kiosk.service
fi

# --- systemd ----------------------------------------------------------------------------------
sysctl_=(systemctl)
[[ -n $R ]] && sysctl_=(systemctl --root="$R")
unit_exists() { # a unit file of that name in any of the unit directories
  local d
  for d in etc/systemd/system usr/lib/systemd/system lib/systemd/system; do
    [[ -e $R/$d/$1 ]] && return 0
  done
  return 1
}
[[ $live == yes ]] && systemctl daemon-reload 2>/dev/null || true

"${sysctl_[@]}" disable --quiet "$other" 2>/dev/null || true
"${sysctl_[@]}" enable --quiet "$unit"
say "enabled $unit"

# tty1 belongs to the kiosk: no login prompt there.
"${sysctl_[@]}" disable --quiet getty@tty1.service 2>/dev/null || true
"${sysctl_[@]}" mask --quiet getty@tty1.service autovt@tty1.service

# Boot to the console: a desktop (graphical.target) would hold the screen.
if [[ $("${sysctl_[@]}" get-default 2>/dev/null || true) != multi-user.target ]]; then
  "${sysctl_[@]}" set-default --quiet multi-user.target
  say "boots to multi-user.target (no desktop)"
fi

# Do not wait for the network at boot: the kiosk starts offline and catches up later.
for w in systemd-networkd-wait-online.service NetworkManager-wait-online.service; do
  if unit_exists "$w"; then
    "${sysctl_[@]}" disable --quiet "$w" 2>/dev/null || true
  fi
done

# Console blanking off (Raspberry Pi OS: /boot/firmware/cmdline.txt; before bookworm: /boot).
cmdline=
for c in "$R/boot/firmware/cmdline.txt" "$R/boot/cmdline.txt"; do
  if [[ -f $c ]]; then
    cmdline=$c
    break
  fi
done
if [[ -z $cmdline ]]; then
  say "no cmdline.txt found (not a Raspberry Pi?): add consoleblank=0 to the kernel command line yourself"
elif ! grep -qE '(^| )consoleblank=0( |$)' "$cmdline"; then
  if grep -qE '(^| )consoleblank=[0-9]+' "$cmdline"; then
    sed -i -E '1 s/(^| )consoleblank=[0-9]+/\1consoleblank=0/' "$cmdline"
  else
    sed -i '1 s/[[:space:]]*$/ consoleblank=0/' "$cmdline"
  fi
  say "console blanking off from the next boot (${cmdline#"$R"})"
fi

# A running kiosk picks up a new program or unit now.
if [[ $live == yes ]] && [[ -d /run/systemd/system ]]; then
  systemctl try-restart "$unit" || true
  if systemctl is-active --quiet "$other"; then
    systemctl stop "$other" || true
  fi
fi

say "done ($mode kiosk). Next: edit /etc/cylch/kiosk.conf, put the token in /etc/cylch/kiosk-token"
say "(install -m 0640 -g cylch-kiosk), then reboot; logs: journalctl -u $unit"
