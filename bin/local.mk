# bin/local.mk - respond-run runs any CGI or NPH program for one request
# and checks its output against RFC 3875 with the oracle in common/; of
# the library it links only the internal helpers (lib/librespond-core.la,
# through CHECKER_LDADD), never librespond.so.  Its test is
# tests/respond-run.test.
bin_PROGRAMS += %D%/respond-run
%C%_respond_run_SOURCES = \
	%D%/respond-run.c \
	%D%/respond-run.h \
	%D%/options.c \
	%D%/request.c \
	%D%/child.c \
	%D%/pump.c \
	%D%/output.c \
	%D%/diag.c \
	%D%/util.c
%C%_respond_run_LDADD = $(CHECKER_LDADD)
