# lib/local.mk - librespond.  The code is built once, as a convenience
# library compiled with hidden visibility (librespond-core.la: what tests
# of internal entry points, respond-run's checker and the fuzz targets
# link); librespond.so exports only what respond.h declares.
# One source per line.
lib_LTLIBRARIES = %D%/librespond.la
noinst_LTLIBRARIES += %D%/librespond-core.la
include_HEADERS = %D%/respond.h
pkgconfigdir = $(libdir)/pkgconfig
pkgconfig_DATA = %D%/respond.pc

%C%_librespond_core_la_SOURCES = \
	%D%/internal.h \
	%D%/fcgi.c \
	%D%/arena.c \
	%D%/buffer.c \
	%D%/log.c \
	%D%/status.c \
	%D%/errors.c \
	%D%/grammar.c \
	%D%/headers.c \
	%D%/cookies.c \
	%D%/json.c \
	%D%/jsonw.c \
	%D%/route.c \
	%D%/sse.c \
	%D%/redirect.c \
	%D%/accesslog.c \
	%D%/encoding.c \
	%D%/sinks.c \
	%D%/writer.c \
	%D%/response.c \
	%D%/jsonerror.c \
	%D%/offload.c \
	%D%/fcgi_record.c \
	%D%/fcgi_conn.c \
	%D%/listen.c \
	%D%/handle.c \
	%D%/server.c \
	%D%/httpdate.c \
	%D%/conditional.c \
	%D%/range.c \
	%D%/mimetypes.c \
	%D%/disposition.c \
	%D%/servefile.c \
	%D%/runner.c \
	%D%/refusal.c \
	%D%/request_int.h \
	%D%/request.c \
	%D%/body.c \
	%D%/form.c \
	%D%/auth.c \
	%D%/urlencoded.c \
	%D%/multipart.c \
	%D%/cookie_parse.c
%C%_librespond_core_la_CFLAGS = $(AM_CFLAGS) $(VISIBILITY_CFLAGS)
%C%_librespond_core_la_LIBADD = $(DL_LIBS) $(PTHREAD_LIBS) $(RT_LIBS)
%C%_librespond_la_SOURCES =
%C%_librespond_la_LDFLAGS = -version-info $(RSP_LT_VERSION) -no-undefined \
	$(SYMBOLIC_LDFLAGS)
%C%_librespond_la_LIBADD = %D%/librespond-core.la $(DL_LIBS) $(PTHREAD_LIBS)

# configure took its version from RSP_VERSION in respond.h when autoconf
# made it; after a change there, the build stops until ./autogen.sh has
# made configure again, so that every copy of the version agrees.
all-local: %D%/version.stamp
%D%/version.stamp: %D%/respond.h
	@v=`sed -n 's/^#define RSP_VERSION "\(.*\)"$$/\1/p' $(srcdir)/%D%/respond.h`; \
	if test "x$$v" != 'x$(PACKAGE_VERSION)'; then \
	  echo "%D%/respond.h has RSP_VERSION \"$$v\", configure was made for $(PACKAGE_VERSION): run ./autogen.sh and configure again" >&2; \
	  exit 1; \
	fi
	@touch $@
CLEANFILES += %D%/version.stamp
