# bench/local.mk - make bench-quick: the benchmark (bench/run) in its quick
# form, seconds long, against this build; it only proves the benchmark
# works (no time is asserted) and writes bench-quick.md here (bench/run
# needs bash).  The real run is bench/run without --quick, which writes
# bench/RESULTS.md (see bench/README).  bench/run compiles its programs
# itself, so the whole directory is shipped as it is.
EXTRA_DIST += %D%
bench-quick: all
	BUILD_DIR='$(abs_top_builddir)' bash $(top_srcdir)/%D%/run --quick
.PHONY: bench-quick
