# scripts/local.mk - the checks run by scripts, and `make lint'.
# (scripts/, abi/ and debian/ are shipped whole: see EXTRA_DIST.)
#
# make lint: first scripts/check-layers over the library's objects (the
#   call graph of lib/'s files must have no cycle: DESIGN.md,
#   Architecture), clang-format --dry-run over the sources (the house
#   style is .clang-format; clang-format -i applies it), then clang-tidy
#   (checks and the reasons for each disabled one in .clang-tidy) and
#   cppcheck over LINT_C, with this build's config.h; any finding fails.
#   clang-tidy runs one file per process, LINT_JOBS at a time (clang-tidy
#   14 reports false va_list findings when one process checks several
#   files: LLVM issue #40656).  cppcheck suppresses only
#   missingIncludeSystem: it is not given the system headers' paths, on
#   purpose (it models the C library itself).
CLANG_FORMAT = clang-format
CLANG_TIDY = clang-tidy
CPPCHECK = cppcheck
LINT_JOBS = 2
# What clang-tidy and cppcheck read (shell patterns).
LINT_C = $(top_srcdir)/lib/*.c $(top_srcdir)/bin/*.c $(top_srcdir)/common/*.c
LINT_CPPFLAGS = -D_GNU_SOURCE -DHAVE_CONFIG_H -I$(top_builddir) \
	-I$(top_srcdir)/lib -I$(top_srcdir)/common
EXTRA_DIST += .clang-tidy .clang-format

lint: $(top_builddir)/config.h lib/librespond-core.la
	@echo "  LINT     check-layers lib/*.lo"
	@python3 $(top_srcdir)/scripts/check-layers \
	  $(lib_librespond_core_la_OBJECTS) || \
	  { echo "lint: lib/ files call each other in a cycle" >&2; exit 1; }
	@for tool in $(CLANG_FORMAT) $(CLANG_TIDY) $(CPPCHECK); do \
	  command -v $$tool >/dev/null 2>&1 || { \
	    echo "lint: $$tool not found (scripts/deps installs it)" >&2; \
	    exit 1; }; \
	done
	@echo "  LINT     clang-format (.clang-format) over every .c and .h"
	@cd $(top_srcdir) && ls lib/*.[ch] bin/*.[ch] common/*.[ch] \
	  cgi-examples/*.c tests/*.[ch] tests/*/*.c fuzz/*.c bench/*.c | \
	  xargs $(CLANG_FORMAT) --dry-run --Werror || \
	  { echo "lint: not formatted as .clang-format says (run clang-format -i)" >&2; exit 1; }
	@echo "  LINT     clang-tidy lib/*.c bin/*.c common/*.c"
	@ls $(LINT_C) | \
	  xargs -n 1 -P $(LINT_JOBS) sh -c ' \
	    out=$$($(CLANG_TIDY) --quiet \
	      --config-file=$(top_srcdir)/.clang-tidy "$$0" \
	      -- -std=c11 $(LINT_CPPFLAGS) 2>&1) && exit 0; \
	    printf "%s\n" "$$out" | grep -v "^[0-9]* warnings* generated\.$$" >&2; \
	    exit 1' || { echo "lint: clang-tidy found problems" >&2; exit 1; }
	@echo "  LINT     cppcheck lib/*.c bin/*.c common/*.c"
	@$(CPPCHECK) --quiet --error-exitcode=1 \
	  --enable=warning,performance,portability --std=c11 $(LINT_CPPFLAGS) \
	  --suppress=missingIncludeSystem $(LINT_C) || \
	  { echo "lint: cppcheck found problems" >&2; exit 1; }
	@echo "lint: check-layers, clang-format, clang-tidy and cppcheck found nothing"

# make check-abi: librespond.so against abi/librespond.abi, the ABI of the
#   last release (abidw), by scripts/check-abi: an incompatible change
#   fails unless -version-info (RSP_LT_VERSION in configure.ac) gives a new
#   SONAME, an addition fails unless current grew (DESIGN.md, "Shared-
#   library versions").  Needs a shared build with debug information (-g).
# make abi-dump: at a release, record this build's ABI and version info in
#   $(srcdir)/abi/ (then commit them).
# make check-deb: dpkg-buildpackage -us -uc -b on a `make distdir' copy,
#   lintian (no error, no warning), the packages installed in a private
#   mount namespace, a program built with pkg-config against them run, the
#   packages purged (scripts/check-deb; needs root).
CHECK_ABI = $(SHELL) $(srcdir)/%D%/check-abi
check-abi: lib/librespond.la
	@$(CHECK_ABI) lib/.libs/librespond.so $(srcdir)/lib $(RSP_LT_VERSION) \
	  $(srcdir)/abi || { rc=$$?; test $$rc = 77 || exit $$rc; }
abi-dump: lib/librespond.la
	$(CHECK_ABI) --dump lib/.libs/librespond.so $(srcdir)/lib \
	  $(RSP_LT_VERSION) $(srcdir)/abi
check-deb: distdir
	@$(SHELL) $(srcdir)/%D%/check-deb $(distdir) $(DEB_OUTDIR) || \
	  { rc=$$?; $(am__remove_distdir); test $$rc = 77 || exit $$rc; }
	@$(am__remove_distdir)
.PHONY: lint check-abi abi-dump check-deb
