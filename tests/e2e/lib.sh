# tests/e2e/lib.sh - shell functions for the end-to-end scripts that put the
# example handlers behind a real nginx at full scale: tests/e2e/hostile.test
# and tests/e2e/load.test source it (bash).  (tests/e2e/run.test has its own.)
#
# Run from the build directory (srcdir names the source tree).  Everything
# runs on 127.0.0.1 high ports and Unix sockets under a temporary directory
# $T; nginx's configuration is the shipped cgi-examples/nginx.conf with its
# @WORDS@ replaced (as run.test does) plus the edits the caller asks for.
# Every process started here is stopped by its PID on exit.
#
#   e2e_need CMD...       each command must be installed, else exit 77
#                         (skip), or 99 when CI=true (scripts/deps installs
#                         them); sets NGINX, SPAWN, CURL, WRK, PERL
#   e2e_setup NAME EX...  temporary directory $T, cleanup on exit, the
#                         example handlers EX as $T/cgi-bin/EX (an EX with
#                         a slash is a built program's path instead)
#   spawn NAME ARGS...    spawn-fcgi ARGS (a daemon); its PID in ${PIDS[NAME]}
#   start_nginx SED...    nginx from the shipped template, each SED applied
#                         to the generated file; sets PORT and N (its URL)
#   fd_count PID, rss_kb PID   open descriptors, VmRSS in kB
#   pass/fail CASE [WHY], log LINE, finish (prints "N passed, N failed")
# shellcheck disable=SC2034  # PIDS, PORT, N: for the scripts that source this
if [ -z "${BASH_VERSION:-}" ]; then
	echo "ERROR: tests/e2e/lib.sh needs bash" >&2
	exit 99
fi

srcdir=${srcdir:-.}
PATH=$PATH:/usr/sbin:/sbin
passed=0
failed=0
T=
NGINX_PID=
declare -A PIDS
started_pids=   # spawn-fcgi daemons (not our children: polled, not waited)
child_pids=     # our own background children

log() { printf '%s\n' "$*"; }
pass() { passed=$((passed + 1)); log "PASS: $1"; }
fail() { failed=$((failed + 1)); log "FAIL: $1: $2"; }
finish() {
	log "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}

e2e_need() {
	local cmd path var
	for cmd in "$@"; do
		path=$(command -v "$cmd" || true)
		if [ -z "$path" ]; then
			if [ "${CI:-}" = true ]; then
				echo "ERROR: $cmd is not installed (CI=true; scripts/deps installs it)" >&2
				exit 99
			fi
			echo "SKIP: $cmd is not installed (scripts/deps installs it)"
			exit 77
		fi
		var=${cmd^^}; var=${var//-/}
		[ "$var" = SPAWNFCGI ] && var=SPAWN
		printf -v "$var" '%s' "$path"
	done
}

# stop_pid PID: SIGTERM, up to 3 s to go, then SIGKILL.
stop_pid() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 60; i++)); do
		kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
		# Our own children are zombies until reaped.
		if [ "$(proc_state "$pid")" = Z ]; then
			wait "$pid" 2>/dev/null
			return 0
		fi
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}
proc_state() { sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null; }

e2e_cleanup() {
	local pid
	for pid in $child_pids; do stop_pid "$pid"; done
	stop_pid "$NGINX_PID"
	for pid in $started_pids; do stop_pid "$pid"; done
	[ -n "$T" ] || return 0
	if [ "${E2E_KEEP:-}" = 1 ]; then
		echo "kept $T"
	else
		rm -rf "$T"
	fi
}

e2e_setup() {
	local name=$1 ex src real shared=no
	shift
	if [ ! -f "$srcdir/cgi-examples/nginx.conf" ]; then
		echo "ERROR: $srcdir/cgi-examples/nginx.conf not found (is srcdir set?)" >&2
		exit 99
	fi
	for ex in "$@"; do
		case $ex in */*) src=$ex ;; *) src=cgi-examples/$ex ;; esac
		if [ ! -x "$src" ]; then
			echo "ERROR: $src is not built (run from the build directory after make)" >&2
			exit 99
		fi
	done
	T=$(mktemp -d "${TMPDIR:-/tmp}/respond-$name.XXXXXX") || exit 99
	trap e2e_cleanup EXIT
	trap 'exit 99' HUP INT TERM
	chmod 755 "$T"
	mkdir -p "$T/bin" "$T/lib" "$T/cgi-bin" "$T/sock" "$T/pid" "$T/out"
	# A libtool wrapper script stands for .libs/NAME, which needs
	# lib/.libs; a static build's cgi-examples/NAME is the program itself.
	for ex in "$@"; do
		# EX is an example's name, or a program's path (tests/fcgi/probe)
		case $ex in */*) src=$ex; ex=${ex##*/} ;; *) src=cgi-examples/$ex ;; esac
		if [ "$(head -c 2 "$src")" = '#!' ]; then
			shared=yes
			real=${src%/*}/.libs/$ex
			[ -f "$real" ] || real=${src%/*}/.libs/lt-$ex
			cp "$real" "$T/bin/$ex" || exit 99
		else
			cp "$src" "$T/bin/$ex" || exit 99
		fi
		# Sets the library path, then becomes the handler (same PID).
		printf '#!/bin/sh\nLD_LIBRARY_PATH=%s/lib; export LD_LIBRARY_PATH\nexec %s/bin/%s "$@"\n' \
			"$T" "$T" "$ex" >"$T/cgi-bin/$ex"
		chmod 755 "$T/bin/$ex" "$T/cgi-bin/$ex"
	done
	if [ $shared = yes ]; then
		cp -P lib/.libs/librespond.so* "$T/lib/" || exit 99
	fi
	chmod -R a+rX "$T"
}

# spawn NAME ARGS...: spawn-fcgi ARGS (it forks the worker and exits).
spawn() {
	local name=$1 pid
	shift
	rm -f "$T/pid/$name.pid"
	if ! "$SPAWN" -P "$T/pid/$name.pid" "$@" >"$T/out/spawn-$name.log" 2>&1; then
		echo "ERROR: spawn-fcgi for $name failed:" >&2
		cat "$T/out/spawn-$name.log" >&2
		exit 99
	fi
	pid=$(cat "$T/pid/$name.pid")
	started_pids="$started_pids $pid"
	PIDS[$name]=$pid
}

fd_count() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# wait_port PORT PID: until PORT accepts connections (5 s at most) while PID lives.
wait_port() {
	local i
	for ((i = 0; i < 100; i++)); do
		port_busy "$1" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# start_nginx [SED...]: nginx (one worker) from the shipped template on
# three consecutive free ports below the ephemeral range (HTTP, h2c and
# the upstream server; only the first is used here), each SED script
# applied to the generated configuration.
start_nginx() {
	local user low try base s
	if [ "$(id -u)" = 0 ]; then user="root root"; else user="$(id -un) $(id -gn)"; fi
	read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
	for ((try = 0; try < 20; try++)); do
		base=$((12000 + (($$ * 13 + try * 977) % (low - 12100))))
		if port_busy "$base" || port_busy $((base + 1)) || port_busy $((base + 2)); then
			continue
		fi
		sed -e "s|@USER@|$user|g" -e "s|@RUNDIR@|$T|g" -e "s|@PORT@|$base|g" \
		    -e "s|@H2PORT@|$((base + 1))|g" -e "s|@LBPORT@|$((base + 2))|g" \
		    -e "s|@BACKEND1@|unix:$T/sock/none1.sock|g" \
		    -e "s|@BACKEND2@|unix:$T/sock/none2.sock|g" \
		    "$srcdir/cgi-examples/nginx.conf" >"$T/nginx.conf"
		for s in "$@"; do sed -i -e "$s" "$T/nginx.conf"; done
		if grep -n '^[^#]*@[A-Z0-9_]*@' "$T/nginx.conf" >&2; then
			echo "ERROR: unreplaced words in $T/nginx.conf" >&2
			exit 99
		fi
		"$NGINX" -e "$T/nginx-error.log" -p "$T" -c "$T/nginx.conf" -g 'daemon off;' \
			>"$T/out/nginx.log" 2>&1 &
		NGINX_PID=$!
		if wait_port "$base" "$NGINX_PID"; then
			PORT=$base
			N=http://127.0.0.1:$PORT
			return 0
		fi
		stop_pid "$NGINX_PID"; NGINX_PID=   # a port taken meanwhile: others
	done
	echo "ERROR: nginx did not start:" >&2
	cat "$T/out/nginx.log" "$T/nginx-error.log" >&2 2>/dev/null
	exit 99
}
