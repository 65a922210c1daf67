/*
 * checker.h - the framing oracle: is a stream of bytes a well-formed CGI, NPH
 * or HTTP/2-flavour response (RFC 3875 §6, RFC 9110, RFC 9112, RFC 9113
 * §8.2)?  Shared by respond-run, the Check suite and the fuzz targets; not
 * installed.
 *
 * Usage: rsp_check_init with a caller-owned buffer for the header block,
 * rsp_check_feed as the bytes arrive (any split gives the same findings),
 * rsp_check_finish at the end.  No allocation: every finding (a note) is
 * a code, a line number and pointers into the caller's buffer, handed to
 * an optional callback as it is made; rsp_check_format renders one.
 */
#ifndef RESPOND_CHECKER_H
#define RESPOND_CHECKER_H

#include <stdbool.h>
#include <stddef.h>

enum rsp_check_flavour { RSP_CHECK_CGI, RSP_CHECK_NPH, RSP_CHECK_H2 };

/* Flags for rsp_check_init. */
enum {
	RSP_CHECK_HEAD = 1 << 0, /* the response answers a HEAD request */
	RSP_CHECK_CRLF = 1 << 1  /* a line ended by a bare LF is a violation */
};

/* Every finding: name, V (violation) or W (warning), the short reason. */
/* clang-format off */
#define RSP_CHECK_MAP(X)                                                      \
	X(OK, 0, "well-formed")                                               \
	X(NO_OUTPUT, 1, "no output")                                          \
	X(OBS_FOLD, 1, "obsolete line folding")                               \
	X(CGI_HTTP_LINE, 1, "an HTTP status line from a CGI program")         \
	X(NOT_FIELD, 1, "a header line that is not name: value")              \
	X(WS_BEFORE_COLON, 1, "whitespace between field name and colon")      \
	X(EMPTY_NAME, 1, "an empty field name")                               \
	X(NAME_NOT_TOKEN, 1, "a field name that is not a token")              \
	X(CTL_IN_VALUE, 1, "a control byte in a field value")                 \
	X(BARE_LF, 1, "a line ended by a bare LF")                            \
	X(STATUS_TWICE, 1, "a second Status field")                           \
	X(BAD_STATUS, 1, "a malformed Status field")                          \
	X(BAD_STATUS_LINE, 1, "a malformed HTTP status line")                 \
	X(CODE_BELOW_100, 1, "a status code below 100")                       \
	X(CTYPE_TWICE, 1, "a second Content-Type field")                      \
	X(LOCATION_TWICE, 1, "a second Location field")                       \
	X(CLEN_TWICE, 1, "a second Content-Length field")                     \
	X(CLEN_NOT_NUMBER, 1, "a Content-Length that is not a number")        \
	X(CONN_FIELD_CGI, 1, "a connection field from a CGI program")         \
	X(H2_CONN_FIELD, 1, "a connection-specific field in HTTP/2")          \
	X(H2_UPPERCASE, 1, "an upper-case field name in HTTP/2")              \
	X(H2_VALUE_WS, 1, "a field value ending in whitespace in HTTP/2")     \
	X(NO_CGI_FIELD, 1, "no Status, Content-Type or Location field")       \
	X(TE_AND_CLEN, 1, "both Transfer-Encoding and Content-Length")        \
	X(TE_FORBIDDEN, 1, "Transfer-Encoding with status 1xx or 204")        \
	X(TE_HTTP10, 1, "Transfer-Encoding in an HTTP/1.0 response")          \
	X(TE_NOT_LAST, 1, "chunked not the final transfer coding, or twice")  \
	X(BLOCK_UNENDED, 1, "a header block that never ends")                 \
	X(BLOCK_TOO_LONG, 1, "a header block too long")                       \
	X(HEAD_BODY, 1, "a body in the response to HEAD")                     \
	X(BODY_FORBIDDEN, 1, "a body with a status that has none")            \
	X(CLEN_FORBIDDEN, 1, "Content-Length with status 1xx or 204")         \
	X(CLEN_205, 1, "a non-zero Content-Length with status 205")           \
	X(CLEN_MISMATCH, 1, "a body length other than Content-Length")        \
	X(CHUNK_BAD, 1, "malformed chunked framing")                          \
	X(CHUNK_UNENDED, 1, "a chunked body without its last chunk")          \
	X(CHUNK_AFTER_END, 1, "bytes after the end of a chunked body")        \
	X(LOCAL_REDIRECT, 1, "a local redirect with fields or a body")        \
	X(NO_REASON, 0, "a status without a reason phrase")                   \
	X(INFORMATIONAL, 0, "an informational status as the final status")    \
	X(ABOVE_599, 0, "a status code above 599")                            \
	X(RELATIVE_LOCATION, 0, "a Location that is not absolute")            \
	X(NO_CTYPE, 0, "a body without Content-Type")                         \
	X(REDIRECT_BODY, 0, "a client redirect with a body and no Status")
/* clang-format on */

enum rsp_check_code {
#define RSP_CHECK_ENUM_(name, v, reason) RSP_CHECK_##name,
	RSP_CHECK_MAP(RSP_CHECK_ENUM_)
#undef RSP_CHECK_ENUM_
	    RSP_CHECK_NCODES
};

/* One finding.  The pointers are into the caller's header buffer, or
 * static; they stay valid while that buffer does. */
struct rsp_check_note {
	enum rsp_check_code code;
	enum rsp_check_flavour flavour;
	unsigned line;    /* header line (1-based), 0: none */
	const char *text; /* the line, name or value concerned */
	size_t text_len;
	unsigned long long num, num2; /* status code, byte, lengths */
};

/* One line of the header block (rsp_check_next_line). */
struct rsp_check_line {
	const char *p; /* the line without its end */
	size_t len;
	size_t term;     /* 0 (unended), 1 (LF) or 2 (CRLF) */
	size_t name_len; /* bytes before ':', 0: no colon */
};

struct rsp_check_report {
	enum rsp_check_code verdict; /* RSP_CHECK_OK or the first violation */
	const char *reason;          /* rsp_check_reason(verdict) */
	struct rsp_check_note first; /* the first violation (verdict != OK) */
	unsigned violations, warnings;
	int status;                /* the final status, 0: unknown */
	const char *status_reason; /* its reason phrase (may be "") */
	size_t status_reason_len;
	const char *bad_status; /* a malformed Status value, or NULL */
	size_t bad_status_len;
	size_t header_len; /* bytes of the header block so far */
	bool header_ended;
	unsigned long long body_len; /* bytes after the header block */
};

typedef void rsp_check_note_fn(void *arg, const struct rsp_check_note *n);

/* The state; its fields are private to checker.c (it is here so that a
 * caller can keep it on the stack). */
struct rsp_check {
	enum rsp_check_flavour flavour;
	unsigned flags;
	rsp_check_note_fn *note_fn;
	void *note_arg;
	char *hdr;
	size_t cap, hlen, scan;
	int phase;
	bool any_output, finished;
	struct rsp_check_report rep;
	unsigned n_status, n_ctype, n_location, n_clen, n_fields, n_te;
	bool clen_ok, chunked, te_chunked_seen, http10;
	unsigned long long clen;
	const char *clen_text, *location;
	size_t clen_text_len, location_len;
	/* the chunked decoder */
	int cstate;
	bool ccr;
	unsigned long long csize, after_end;
};

void rsp_check_init(struct rsp_check *c, enum rsp_check_flavour flavour,
    unsigned flags, char *hdr, size_t cap, rsp_check_note_fn *fn, void *arg);
size_t rsp_check_feed(struct rsp_check *c, const void *buf, size_t len);
bool rsp_check_in_body(const struct rsp_check *c);
void rsp_check_peek(const struct rsp_check *c, struct rsp_check_report *r);
enum rsp_check_code rsp_check_finish(struct rsp_check *c,
    struct rsp_check_report *r);
bool rsp_check_next_line(const struct rsp_check *c, size_t *pos,
    struct rsp_check_line *l);
int rsp_check_format(const struct rsp_check_note *n, char *buf, size_t size);
const char *rsp_check_name(enum rsp_check_code code);
const char *rsp_check_reason(enum rsp_check_code code);
bool rsp_check_is_violation(enum rsp_check_code code);

#endif
