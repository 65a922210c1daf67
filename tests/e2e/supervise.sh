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

# Each handler is waited for by a subshell of its own, which traps no
# signal, and which leaves the handler's exit status in STATE/exit.PID.
# The supervisor itself never waits for a handler: in a shell that traps
# signals, bash's wait returns 128+N for a signal N that arrived during
# it, and (bash 5.2) also for one that arrived just after an earlier wait
# had returned, before the child has ended.
start() {
	rm -f "$state/next.pid"
	(
		if [ "$mode" = fd0 ]; then
			"${wrapper[@]}" "$handler" 0<&3 3<&- >>"$state/worker.log" 2>&1 &
		else
			# LISTEN_PID must be the handler's own PID: the shell that
			# execs it.
			"${wrapper[@]}" bash -c 'LISTEN_FDS=1 LISTEN_PID=$$ exec "$0"' \
				"$handler" </dev/null >>"$state/worker.log" 2>&1 &
		fi
		w=$!
		# worker.pid at once: the handler may answer a request before
		# the supervisor has read next.pid.  (Each file is written in one
		# write; the supervisor waits for a file with something in it.)
		echo "$w" >"$state/worker.pid"
		echo "$w" >"$state/next.pid"
		wait "$w"
		echo $? >"$state/exit.$w"
	) &
	until [ -s "$state/next.pid" ]; do sleep 0.01; done
	read -r cur <"$state/next.pid"
	rm -f "$state/next.pid"
}

# reap PID: wait for the handler PID to end; its exit status in rc.
reap() {
	until [ -s "$state/exit.$1" ]; do sleep 0.01; done
	read -r rc <"$state/exit.$1"
	rm -f "$state/exit.$1"
}

# usec: the time now in microseconds, in us.  No command substitution in
# this script: bash 5.2 parses one when it expands it, and a trap that runs
# in the middle of that parse can end the script with a syntax error.
usec() { us=${EPOCHREALTIME/./}; }

restart() {
	local old=$cur t0 us rc
	start
	# The new handler is waiting in accept() long before this ends.
	sleep 0.3
	usec
	t0=$us
	kill -TERM "$old"
	reap "$old"
	usec
	n=$((n + 1))
	printf 'restart %d: old %d exit %d after %d.%03d s, new %d\n' "$n" "$old" \
		"$rc" $(((us - t0) / 1000000)) $(((us - t0) / 1000 % 1000)) "$cur" \
		>>"$state/restarts.log"
}

trap 'pending=1' USR1
trap 'stop=1' TERM INT
start
while [ -z "$stop" ]; do
	if [ -n "$pending" ]; then
		pending=
		restart
	fi
	# In the foreground, not "sleep & wait": a trap runs when it ends,
	# 50 ms at most.
	sleep 0.05
done
kill -TERM "$cur" 2>/dev/null
rc=0
reap "$cur"
exit "$rc"
