# tests/fcgi/local.mk - the FastCGI server against a raw peer:
# protocol.test drives the probe handler through protocol.py and
# fcgiclient.py.
noinst_PROGRAMS += %D%/probe
dist_check_SCRIPTS += %D%/protocol.test
EXTRA_DIST += %D%/protocol.py %D%/fcgiclient.py
