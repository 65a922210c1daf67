# tests/local.mk - the Check unit tests (tests/check_*, each from its one
# source, with the helpers of tests/libtestutil.la) and the scripts that
# drive the built programs; the end-to-end tests and the raw FastCGI peer
# have fragments of their own.

# The unit tests' helpers, compiled once.  Its request-side part
# (requtil.c) calls internal entry points, so only the tests that link
# lib/librespond-core.la use it.
check_LTLIBRARIES += %D%/libtestutil.la
%C%_libtestutil_la_SOURCES = \
	%D%/testutil.c \
	%D%/testutil.h \
	%D%/requtil.c \
	%D%/requtil.h

# TEST_LDADD: against librespond.so, as a user links.  TEST_CORE_LDADD:
# against the convenience library, for tests that also call internal
# entry points (rsp__*).
TEST_LDADD = %D%/libtestutil.la lib/librespond.la $(CHECK_LIBS)
TEST_CORE_LDADD = %D%/libtestutil.la lib/librespond-core.la $(CHECK_LIBS) \
	$(PTHREAD_LIBS)
check_PROGRAMS += \
	%D%/check_status \
	%D%/check_headers \
	%D%/check_cookies \
	%D%/check_json \
	%D%/check_writer \
	%D%/check_response \
	%D%/check_sinks \
	%D%/check_files \
	%D%/check_request \
	%D%/check_urlencoded \
	%D%/check_multipart \
	%D%/check_fcgi \
	%D%/check_jsonw \
	%D%/check_route \
	%D%/check_sse \
	%D%/check_accesslog
%C%_check_status_LDADD = $(TEST_LDADD)
%C%_check_headers_LDADD = $(TEST_LDADD)
%C%_check_cookies_LDADD = $(TEST_LDADD)
%C%_check_json_LDADD = $(TEST_LDADD)
%C%_check_writer_LDADD = $(TEST_LDADD)
%C%_check_response_LDADD = $(TEST_LDADD)
%C%_check_sinks_LDADD = $(TEST_LDADD)
%C%_check_files_LDADD = $(TEST_LDADD)
%C%_check_request_LDADD = $(TEST_CORE_LDADD)
%C%_check_urlencoded_LDADD = $(TEST_CORE_LDADD)
%C%_check_multipart_LDADD = $(TEST_CORE_LDADD)
%C%_check_fcgi_LDADD = $(TEST_CORE_LDADD)
%C%_check_jsonw_LDADD = $(TEST_LDADD) -lm
%C%_check_route_LDADD = $(TEST_LDADD)
%C%_check_sse_LDADD = $(TEST_LDADD)
%C%_check_accesslog_LDADD = $(TEST_CORE_LDADD)

# tests/jsonw.test compares jsonw_corpus's documents with Python's json.
noinst_PROGRAMS += %D%/jsonw_corpus
%C%_jsonw_corpus_LDADD = $(LDADD) -lm
dist_check_SCRIPTS += %D%/jsonw.test

# tests/respond-run.test drives bin/respond-run with the sh CGI programs in
# tests/respond-run/ (copied to a temporary directory, so they need no
# executable bit).
dist_check_SCRIPTS += %D%/respond-run.test
EXTRA_DIST += %D%/respond-run

# tests/examples.test runs every program in cgi-examples/ through
# bin/respond-run (CGI) and cgi-fcgi (FastCGI, Debian package libfcgi-bin)
# and compares stdout, stderr and exit status with tests/examples/*; the
# handlers in tests/handlers/ are two it needs beyond the examples.
noinst_PROGRAMS += %D%/handlers/fail %D%/handlers/bodiless
dist_check_SCRIPTS += %D%/examples.test
EXTRA_DIST += %D%/examples

include %D%/fcgi/local.mk
include %D%/e2e/local.mk

# make check-valgrind: the unit tests under valgrind, through the test
# harness (LOG_COMPILER), each in one process (CK_FORK=no) so that
# valgrind sees every test; any error, any leak or a failed test fails the
# target.
VALGRIND_FLAGS = --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect,possible --track-fds=no -q
check-valgrind:
	@if test -z "$(VALGRIND)"; then \
	  echo "check-valgrind: valgrind not found; install the Debian package valgrind (scripts/deps)" >&2; \
	  exit 1; \
	fi
	@CK_FORK=no; export CK_FORK; \
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(check_PROGRAMS)' VERBOSE=1 \
	  LOG_COMPILER='$(LIBTOOL) --mode=execute $(VALGRIND)' \
	  LOG_FLAGS='$(VALGRIND_FLAGS)'

# make check-asan: a build of its own (_build-asan) configured with
# --enable-sanitizers=address,undefined (static, so the tests run without
# libtool's wrappers), and `make check' there.  make check-tsan: the
# threaded FastCGI server under ThreadSanitizer in _build-tsan: the
# raw-peer protocol tests (several with RSP_THREADS > 1) and the example
# tests (20 requests at once to two workers).  The build directories are
# kept between runs.
ASAN_BUILDDIR = $(abs_top_builddir)/_build-asan
TSAN_BUILDDIR = $(abs_top_builddir)/_build-tsan
SANITIZER_CONFIGURE = CC='$(CC)' CFLAGS='-O1 -g' --disable-shared
check-asan:
	@set -e; \
	$(SUB_BUILD) '$(ASAN_BUILDDIR)' $(SANITIZER_CONFIGURE) \
	  --enable-sanitizers=address,undefined; \
	cd '$(ASAN_BUILDDIR)'; \
	$(MAKE) $(AM_MAKEFLAGS) all; \
	$(MAKE) $(AM_MAKEFLAGS) check VERBOSE=1
check-tsan:
	@set -e; \
	$(SUB_BUILD) '$(TSAN_BUILDDIR)' $(SANITIZER_CONFIGURE) \
	  --enable-sanitizers=thread; \
	cd '$(TSAN_BUILDDIR)'; \
	$(MAKE) $(AM_MAKEFLAGS) all; \
	$(MAKE) $(AM_MAKEFLAGS) check VERBOSE=1 \
	  TESTS='%D%/fcgi/protocol.test %D%/examples.test'

# What the tests of a sanitizer build run with: any report ends the
# program with an error (ThreadSanitizer's: exit 66, which the FastCGI
# tests see).  An impossible malloc returns NULL, as glibc's does, so that
# what libfcgi then does (see the CVE-2025-23016 shapes in tests/e2e) is
# as in production.  Check runs each unit test in one process, for
# LeakSanitizer.
if SANITIZE_ADDRESS
AM_TESTS_ENVIRONMENT += \
	ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1:allocator_may_return_null=1; \
	export ASAN_OPTIONS; CK_FORK=no; export CK_FORK;
endif
if SANITIZE_UNDEFINED
AM_TESTS_ENVIRONMENT += \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1; export UBSAN_OPTIONS;
endif
if SANITIZE_THREAD
AM_TESTS_ENVIRONMENT += \
	TSAN_OPTIONS=exitcode=66:second_deadlock_stack=1; export TSAN_OPTIONS;
endif
.PHONY: check-valgrind check-asan check-tsan
