#!/usr/bin/env bash
# tests/e2e/supervise.sh - keeps a FastCGI listening socket and runs one
# handler process on it at a time; on SIGUSR1 it starts a new handler on
# the same socket, then sends the old one SIGTERM and waits for it to
# drain and exit: the restart of restart.test, done the way a deployment
# script (or systemd with a socket unit) does it.
#
#   supervise.sh MODE STATE HANDLER [WRAPPER...]
#
# MODE fd0: the socket is fd 0 (spawn-fcgi started this script), and each
# handler gets it as fd 0.  MODE systemd: the socket is fd 3 with
# LISTEN_FDS=1 (systemd-socket-activate, or systemd itself, started this
# script), and each handler gets it so, with LISTEN_PID set to its own PID.
# WRAPPER (e.g. setpriv ...) runs each handler.  STATE/worker.pid holds the
# current handler's PID; STATE/restarts.log gets a line per restart:
#   restart N: old PID exit STATUS after S s, new PID
# SIGTERM stops the current handler and ends the script.
set -u
mode=$1 state=$2 handler=$3
shift 3
wrapper=("$@")
cur=
pending=
stop=
n=0

case $mode in
fd0) exec 3<&0 0</dev/null ;;
systemd)
	[ "${LISTEN_FDS:-}" = 1 ] && [ "${LISTEN_PID:-}" = $$ ] || {
		echo "supervise.sh: no LISTEN_FDS=1 for this process" >&2
		exit 1
	}
	unset LISTEN_FDS LISTEN_PID LISTEN_FDNAMES ;;
*) echo "supervise.sh: MODE is fd0 or systemd" >&2; exit 2 ;;
esac

start() {
	if [ "$mode" = fd0 ]; then
		"${wrapper[@]}" "$handler" 0<&3 3<&- >>"$state/worker.log" 2>&1 &
	else
		# LISTEN_PID must be the handler's own PID: the shell that execs it.
		"${wrapper[@]}" bash -c 'LISTEN_FDS=1 LISTEN_PID=$$ exec "$0"' "$handler" \
			</dev/null >>"$state/worker.log" 2>&1 &
	fi
	cur=$!
	echo "$cur" >"$state/worker.pid"
}

restart() {
	local old=$cur t0 rc
	start
	# The new handler is waiting in accept() long before this ends.
	sleep 0.3
	t0=$(date +%s.%N)
	kill -TERM "$old"
	wait "$old"
	rc=$?
	n=$((n + 1))
	echo "restart $n: old $old exit $rc after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }') s, new $cur" >>"$state/restarts.log"
}

trap 'pending=1' USR1
trap 'stop=1' TERM INT
start
while [ -z "$stop" ]; do
	if [ -n "$pending" ]; then
		pending=
		restart
	fi
	sleep 0.05 &
	wait $! 2>/dev/null
done
kill -TERM "$cur" 2>/dev/null
wait "$cur"
