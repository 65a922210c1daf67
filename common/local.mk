# common/local.mk - the framing oracle (common/checker.c): a non-installed
# library that bin/respond-run, tests/check_checker and the fuzz targets
# link; it takes the byte classes from the library's grammar table, so
# whoever links it also links lib/librespond-core.la.
noinst_LTLIBRARIES += %D%/librespond-check.la
%C%_librespond_check_la_SOURCES = %D%/checker.c %D%/checker.h
CHECKER_LDADD = %D%/librespond-check.la lib/librespond-core.la

check_PROGRAMS += tests/check_checker
tests_check_checker_LDADD = $(CHECKER_LDADD) $(CHECK_LIBS) $(PTHREAD_LIBS)
