# fuzz/local.mk - the libFuzzer targets, each with a seed corpus
# (fuzz/corpus/TARGET/) and a dictionary (fuzz/TARGET.dict); SECURITY.md
# says what each covers.  They are built in a build configured with
# --enable-fuzzing, linked with $(LIB_FUZZING_ENGINE).  Neither target
# below is part of `all' or `check'.
# make fuzz: the targets.  Outside a fuzzing build, in a build of their own,
#   FUZZ_BUILDDIR (_build-fuzz), configured with clang, libFuzzer and
#   ASan+UBSan.
# make fuzz-smoke: each target for FUZZ_SECONDS seconds from a scratch
#   copy of its seed corpus (fuzz/work/TARGET/, so that new inputs never
#   land in the source tree); any crash, sanitizer report, leak, timeout
#   or memory blow-up fails, leaving its input in fuzz/work/TARGET-crash-*
#   and the log in fuzz/work/TARGET.log.
FUZZ_SECONDS ?= 20
FUZZERS = \
	%D%/fuzz_request \
	%D%/fuzz_multipart \
	%D%/fuzz_response \
	%D%/fuzz_json \
	%D%/fuzz_fcgi \
	%D%/fuzz_range \
	%D%/fuzz_route \
	%D%/fuzz_jsonw \
	%D%/fuzz_checker
EXTRA_DIST += $(FUZZERS:=.dict) %D%/corpus %D%/fuzz.h

if ENABLE_FUZZING
noinst_PROGRAMS += $(FUZZERS)
# The targets call internal entry points and the oracle.
FUZZ_LDADD = $(CHECKER_LDADD) $(LIB_FUZZING_ENGINE)
%C%_fuzz_request_LDADD = $(FUZZ_LDADD)
%C%_fuzz_multipart_LDADD = $(FUZZ_LDADD)
%C%_fuzz_response_LDADD = $(FUZZ_LDADD)
%C%_fuzz_json_LDADD = $(FUZZ_LDADD)
%C%_fuzz_fcgi_LDADD = $(FUZZ_LDADD)
%C%_fuzz_range_LDADD = $(FUZZ_LDADD)
%C%_fuzz_route_LDADD = $(FUZZ_LDADD)
%C%_fuzz_jsonw_LDADD = $(FUZZ_LDADD) -lm
%C%_fuzz_checker_LDADD = $(FUZZ_LDADD)

FUZZ_FLAGS = -max_len=65536 -timeout=5 -rss_limit_mb=512 -print_final_stats=1
FUZZ_ENV = ASAN_OPTIONS=quarantine_size_mb=64:detect_leaks=1:halt_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
fuzz: $(FUZZERS)
fuzz-smoke: fuzz
	@failed=; list='$(FUZZERS)'; \
	for p in $$list; do \
	  t=`basename $$p`; \
	  w=%D%/work/$$t; rm -rf "$$w" "$$w"-*; $(MKDIR_P) "$$w"; \
	  cp '$(srcdir)'/%D%/corpus/$$t/* "$$w"/; \
	  echo "fuzz-smoke: $$t for $(FUZZ_SECONDS) s"; \
	  if $(FUZZ_ENV) ./$$p $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
	      -dict='$(srcdir)'/$$p.dict -artifact_prefix="$$w"- \
	      "$$w" >"$$w.log" 2>&1; then \
	    n=`sed -n 's/^stat::number_of_executed_units: *//p' "$$w.log"`; \
	    echo "fuzz-smoke: $$t: $$n executions, no crash"; \
	  else \
	    tail -n 60 "$$w.log" >&2; \
	    echo "fuzz-smoke: FAIL: $$t (log `pwd`/$$w.log; input `ls "$$w"-* 2>/dev/null`)" >&2; \
	    failed="$$failed $$t"; \
	  fi; \
	done; \
	if test -n "$$failed"; then \
	  echo "fuzz-smoke: failed:$$failed" >&2; exit 1; \
	fi
fuzz-clean:
	rm -rf %D%/work
else
FUZZ_CC = clang
FUZZ_BUILDDIR = $(abs_top_builddir)/_build-fuzz
fuzz fuzz-smoke:
	@set -e; \
	$(SUB_BUILD) '$(FUZZ_BUILDDIR)' CC='$(FUZZ_CC)' CFLAGS='-g -O1' \
	  --disable-shared --enable-werror --enable-fuzzing \
	  --enable-sanitizers=address,undefined; \
	cd '$(FUZZ_BUILDDIR)'; \
	$(MAKE) $(AM_MAKEFLAGS) $@ FUZZ_SECONDS='$(FUZZ_SECONDS)'
fuzz-clean:
	rm -rf '$(FUZZ_BUILDDIR)'
endif
.PHONY: fuzz fuzz-smoke fuzz-clean
