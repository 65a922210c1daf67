# tests/e2e/local.mk - the examples behind a real nginx and a real Apache.
# In make check: run.test (nginx FastCGI through spawn-fcgi, CGI through
# fcgiwrap, HTTP/2 cleartext, an upstream of two backends; Apache mod_cgid
# and mod_proxy_fcgi; configurations generated from cgi-examples/nginx.conf
# and apache.conf; the systemd units), peers.test, files.test and
# snippets.test (each snippet of cgi-examples/snippets as shipped, only its
# paths replaced, with the spawn-fcgi command its comment gives; the
# handlers' user, the sockets' mode and owner, the service's exposure
# score).  Each skips (77) when its servers are not installed.
# supervise.test: the shipped supervisor (supervise.sh) under a flood of
# restart signals, with a stand-in handler; it needs bash only.
dist_check_SCRIPTS += %D%/run.test %D%/peers.test %D%/files.test \
	%D%/snippets.test %D%/supervise.test
# lib.sh holds what the scripts share.
EXTRA_DIST += %D%/lib.sh %D%/supervise.sh %D%/api.test %D%/hostile.test \
	%D%/hostile-clients.pl %D%/load.test %D%/load.lua %D%/restart.test \
	%D%/multihost.test %D%/counts.lua

# Targets outside make check, each one script at full scale; none asserts
# a time.  A script's exit 77 (nginx, spawn-fcgi, curl, perl or wrk
# missing, and CI is not "true") is reported as skipped, not as a failure.
# make check-api: api.test - the api and sse examples behind nginx FastCGI.
# make check-hostile: hostile.test - 1000 downloads aborted mid-body, 100
#   slow readers, 100 stalled request bodies, SIGTERM during a request (10
#   times), the CVE-2025-23016 FastCGI shapes (100 rounds, and 10 of the one
#   that still aborts libfcgi, under a supervisor); after each: the same
#   worker PIDs, fds, VmRSS within 256 kB, a normal request.
# make check-load: load.test - LOAD_REQUESTS (1,000,000) requests to the
#   FastCGI hello with wrk -t1 -c32: no non-2xx, no socket error, the
#   worker's VmRSS at the end within 1 MiB of the value after 1000.
# make check-hostile-smoke, check-load-smoke: the same with
#   HOSTILE_SCALE=smoke (50/5/5, 1 SIGTERM, 5+2 CVE rounds) and 20,000
#   requests: what run-tests (CI) runs, well under a minute together.
# make check-restart: restart.test - wrk through nginx while the FastCGI
#   worker is replaced 10 times on a listening socket that outlives it
#   (spawn-fcgi's, and systemd-socket-activate's with LISTEN_FDS): no
#   non-2xx, no socket error, no error-log line.
# make check-multihost: multihost.test - three TCP backends on 127.0.0.2-4
#   behind one upstream with kept connections; FCGI_WEB_SERVER_ADDRS
#   refusing 127.0.0.9; one backend killed under load and restarted
#   (failed requests counted, 0 wanted).
HOSTILE_SCALE = full
LOAD_REQUESTS = 1000000
E2E_SCRIPT = run() { \
	  ( srcdir='$(srcdir)'; export srcdir "$$@"; \
	    exec $(SHELL) '$(srcdir)'/%D%/$$script ); rc=$$?; \
	  if test $$rc = 77; then echo "$$script: skipped"; rc=0; fi; \
	  test $$rc = 0 || echo "$$script: FAILED (exit $$rc)" >&2; \
	  return $$rc; }; run
check-api: all
	@script=api.test; $(E2E_SCRIPT)
check-hostile: all
	@script=hostile.test; $(E2E_SCRIPT) HOSTILE_SCALE='$(HOSTILE_SCALE)'
check-load: all
	@script=load.test; $(E2E_SCRIPT) LOAD_REQUESTS='$(LOAD_REQUESTS)'
	@script=load.test; $(E2E_SCRIPT) LOAD_REQUESTS='$(LOAD_REQUESTS)' LOAD_KEPT=unix
	@script=load.test; $(E2E_SCRIPT) LOAD_REQUESTS='$(LOAD_REQUESTS)' LOAD_KEPT=tcp
check-hostile-smoke: all
	@script=hostile.test; $(E2E_SCRIPT) HOSTILE_SCALE=smoke
check-load-smoke: all
	@script=load.test; $(E2E_SCRIPT) LOAD_REQUESTS=20000
	@script=load.test; $(E2E_SCRIPT) LOAD_REQUESTS=20000 LOAD_KEPT=unix
	@script=load.test; $(E2E_SCRIPT) LOAD_REQUESTS=20000 LOAD_KEPT=tcp
check-restart: all
	@script=restart.test; $(E2E_SCRIPT)
check-multihost: all
	@script=multihost.test; $(E2E_SCRIPT)
.PHONY: check-api check-hostile check-load check-hostile-smoke \
	check-load-smoke check-restart check-multihost
