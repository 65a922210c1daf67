# cgi-examples/local.mk - one small handler per feature (each the program
# of the same name, from its one source), the web server configurations
# that run them, and what `make install' puts under $(docdir) for users to
# copy.
# EXAMPLES: the handlers `make run-examples' runs.
EXAMPLES = \
	%D%/hello \
	%D%/writer \
	%D%/cookies \
	%D%/error \
	%D%/file \
	%D%/parts \
	%D%/latin1 \
	%D%/head \
	%D%/nph-hello \
	%D%/echo \
	%D%/upload \
	%D%/finish-early \
	%D%/offload \
	%D%/files
noinst_PROGRAMS += $(EXAMPLES) %D%/sse
# jansson: only api.c reads JSON with it; without it api is not built.
if HAVE_JANSSON
noinst_PROGRAMS += %D%/api
%C%_api_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
%C%_api_LDADD = $(LDADD) $(JANSSON_LIBS) $(PTHREAD_LIBS)
endif

# make install: the example handlers' sources, ready-to-copy web server
# snippets (snippets/, each tested as shipped by tests/e2e/snippets.test),
# the hardened systemd units, and README.deploy with the complete
# configurations it describes (default /usr/local/share/doc/respond).
examplesdir = $(docdir)/examples
dist_examples_DATA = \
	%D%/hello.c %D%/writer.c %D%/cookies.c %D%/error.c %D%/file.c \
	%D%/parts.c %D%/latin1.c %D%/head.c %D%/nph-hello.c %D%/echo.c \
	%D%/upload.c %D%/finish-early.c %D%/offload.c %D%/files.c %D%/sse.c \
	%D%/api.c %D%/nginx.conf %D%/apache.conf tests/e2e/supervise.sh
snippetsdir = $(docdir)/snippets
dist_snippets_DATA = \
	%D%/snippets/nginx-fastcgi.conf \
	%D%/snippets/nginx-fcgiwrap.conf \
	%D%/snippets/apache-proxy-fcgi.conf \
	%D%/snippets/apache-cgid.conf
systemddir = $(docdir)/systemd
dist_systemd_DATA = %D%/respond-example.socket %D%/respond-example.service
dist_doc_DATA = README %D%/README.deploy

# make run-examples: build everything, then run each program in $(EXAMPLES)
# once as a CGI GET request, through bin/respond-run when it has been built
# (it checks the response and prints it, -i: with its header block), else
# directly.
RESPOND_RUN = $(top_builddir)/bin/respond-run$(EXEEXT)
RESPOND_RUN_FLAGS = -i
run-examples: all $(EXAMPLES)
	@failed=; n=0; list='$(EXAMPLES)'; \
	for ex in $$list; do \
	  n=`expr $$n + 1`; \
	  echo "run-examples: $$ex"; \
	  case $$ex in */*) ;; *) ex=./$$ex ;; esac; \
	  if test -x '$(RESPOND_RUN)'; then \
	    '$(RESPOND_RUN)' $(RESPOND_RUN_FLAGS) $$ex; \
	  else \
	    REQUEST_METHOD=GET SERVER_PROTOCOL=HTTP/1.1 GATEWAY_INTERFACE=CGI/1.1 \
	      SCRIPT_NAME="/$${ex#./}" $$ex </dev/null; \
	  fi || { echo "run-examples: FAIL: $$ex (exit $$?)" >&2; failed="$$failed $$ex"; }; \
	  echo; \
	done; \
	if test -n "$$failed"; then \
	  echo "run-examples: failed:$$failed" >&2; exit 1; \
	fi; \
	if test $$n = 0; then \
	  echo "run-examples: no examples yet (EXAMPLES is empty)"; \
	else \
	  echo "run-examples: $$n examples ran"; \
	fi
.PHONY: run-examples

# The script ./run-examples, which shares its name with the target above
# (in EXTRA_DIST it would be taken for the target).
dist-hook: dist-run-examples
dist-run-examples:
	cp -p $(srcdir)/run-examples $(distdir)/run-examples
.PHONY: dist-run-examples
