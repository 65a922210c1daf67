/* testutil.h - helpers shared by respond's Check unit tests: responses on a
 * memory sink, exact byte comparison with escaped diffs, Date masking, refusal snapshots.
 * The functions are in testutil.c (tests/libtestutil.la). */
#ifndef RESPOND_TESTUTIL_H
#define RESPOND_TESTUTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <check.h>
#include <respond.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the NPH flavour adds after the user's headers (DESIGN.md 3). */
#define NPH_SERVER "Server: respond/" RSP_VERSION "\r\n"
#define NPH_DATE "Date: <DATE>\r\n"
#define NPH_REQ NPH_SERVER NPH_DATE

/* ---------------------------------------------------------------- */
/* Small string helpers                                              */

/* A malloc'd string formatted as printf would (abort when out of memory). */
char *tu_strdupf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Escape bytes for a failure message: \r \n \t \\ \" and \xHH. */
char *tu_escape(const void *data, size_t len);

/*
 * NULL when the two byte strings are equal, otherwise a message showing
 * both sides escaped (around the first difference when they are long).
 */
char *tu_diff(const void *act, size_t alen, const void *exp, size_t elen);

#define ck_bytes(act, alen, exp, elen)                            \
	do {                                                      \
		char *m_ = tu_diff((act), (alen), (exp), (elen)); \
		ck_assert_msg(m_ == NULL, "%s", m_ ? m_ : "");    \
	} while (0)

/* ---------------------------------------------------------------- */
/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"                     */

/* Parse exactly 29 bytes of IMF-fixdate; false when the shape is wrong or
 * the weekday does not match the date. */
bool tu_parse_imf(const char *s, size_t len, time_t *out);

/* ---------------------------------------------------------------- */
/* A response on a memory sink                                       */

struct tu {
	rsp_request *req;
	rsp_response *res;
	struct rsp_buffer buf;
};

/* A response on a memory sink, to a request from env when not NULL. */
struct tu *tu_make(char *const *env);

/* A GET response (no request) in the given flavour. */
struct tu *tu_new(enum rsp_flavour f);

/* A response to a request with the given method, in the given flavour. */
struct tu *tu_method(const char *method, enum rsp_flavour f);

void tu_free(struct tu *t);

const char *tu_flavour_name(enum rsp_flavour f);

/* Compare the whole sink buffer with an expectation; the value of each
 * "Date:" line of the first header block is masked as "<DATE>" when it is
 * an IMF-fixdate within a few seconds of now (a bad date is left as it
 * is, so the comparison fails and shows it). */
char *tu_out_diff(struct tu *t, const void *exp, size_t elen);

#define ck_out_n(t, exp, elen)                                 \
	do {                                                   \
		char *m_ = tu_out_diff((t), (exp), (elen));    \
		ck_assert_msg(m_ == NULL, "%s", m_ ? m_ : ""); \
	} while (0)
/* exp must be a string literal (may hold NUL bytes) */
#define ck_out(t, lit) ck_out_n((t), (lit), sizeof(lit) - 1)
#define ck_out_s(t, str) ck_out_n((t), (str), strlen(str))

#define ck_rc(expr, code)                                                \
	do {                                                             \
		int rc_ = (expr);                                        \
		ck_assert_msg(rc_ == (code),                             \
		    "%s returned %d (%s), expected %d (%s)", #expr, rc_, \
		    rsp_strerror(rc_), (int)(code), rsp_strerror(code)); \
	} while (0)
#define ck_ok(expr) ck_rc((expr), RSP_OK)

/* ---------------------------------------------------------------- */
/* Refusals: the call returns the code and changes nothing           */

/* Header list rendered as "name: value\n" lines. */
char *tu_headers_dump(const rsp_headers *h);

struct tu_snap {
	char *out;
	size_t outlen;
	char *headers;
	size_t count;
	int status;
	char *msg;
	int flavour;
	char *encoding;
	bool close;
};

void tu_snap_take(struct tu *t, struct tu_snap *s);
void tu_snap_free(struct tu_snap *s);
/* NULL when nothing changed from a to b, else what did. */
char *tu_snap_diff(const struct tu_snap *a, const struct tu_snap *b);

/*
 * Refused inputs are counted when RSP_TEST_REFUSED_LOG names a file: one
 * byte is appended per case (the tests run in forked children).
 */
void tu_count_refused(void);

/* What a helper is checking, shown in refusal failures ("" when unset). */
extern char tu_ctx[600];

void tu_set_ctx(const char *what, const char *a, const char *b);

/* The reason the last ck_refused's call left (rsp_response_errmsg). */
extern char tu_why[300];

/* expr must return `code`, and output, headers, status, flavour, encoding
 * and close_connection must be exactly as before. */
#define ck_refused(t, expr, code)                                             \
	do {                                                                  \
		struct tu_snap s0_, s1_;                                      \
		tu_snap_take((t), &s0_);                                      \
		int rc_ = (expr);                                             \
		snprintf(tu_why, sizeof tu_why, "%s",                         \
		    rsp_response_errmsg((t)->res));                           \
		tu_snap_take((t), &s1_);                                      \
		ck_assert_msg(rc_ == (code),                                  \
		    "%s%s returned %d (%s), expected %d (%s)", tu_ctx, #expr, \
		    rc_, rsp_strerror(rc_), (int)(code), rsp_strerror(code)); \
		char *d_ = tu_snap_diff(&s0_, &s1_);                          \
		ck_assert_msg(d_ == NULL, "%s%s: %s", tu_ctx, #expr,          \
		    d_ ? d_ : "");                                            \
		tu_snap_free(&s0_);                                           \
		tu_snap_free(&s1_);                                           \
		tu_count_refused();                                           \
	} while (0)

/* ck_refused, and rsp_response_errmsg gives exactly `why`. */
#define ck_refused_why(t, expr, code, why)       \
	do {                                     \
		ck_refused((t), (expr), (code)); \
		ck_assert_str_eq(tu_why, (why)); \
	} while (0)

/* ---------------------------------------------------------------- */
/* Files, stderr capture                                             */

/* A temporary file holding `len` bytes of a fixed pattern; returns an fd
 * open for reading at offset 0 and, if path is not NULL, its name. */
int tu_temp_file(size_t len, char **path);

/* The same pattern's first `len` bytes, malloc'd. */
unsigned char *tu_pattern_bytes(size_t len);

bool tu_fd_is_closed(int fd);

/* Redirect stderr to a temporary file; tu_stderr_end returns what was
 * written (malloc'd, NUL-terminated) and restores stderr. */
struct tu_stderr {
	int saved;
	int fd;
};

void tu_stderr_begin(struct tu_stderr *c);
char *tu_stderr_end(struct tu_stderr *c);

/* ---------------------------------------------------------------- */
/* Running a suite                                                   */

/* Run every test of s; EXIT_SUCCESS when none failed. */
int tu_run(Suite *s);

#endif /* RESPOND_TESTUTIL_H */
