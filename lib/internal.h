/*
 * internal.h - declarations shared between librespond's source files and
 * never installed.  Everything here is private: names start with rsp__.
 */
#ifndef RESPOND_INTERNAL_H
#define RESPOND_INTERNAL_H

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

/* The library is compiled with -fvisibility=hidden: what respond.h
 * declares is the exported API, everything else stays inside. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif
#include "respond.h"
#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <iconv.h>
#include <signal.h>
#include <fcgiapp.h>

#define RSP__UNUSED(x) ((void)(x))

/* ---- arena.c: per-response memory, released in one place ---------- */

struct rsp__arena_block;
struct rsp__arena {
	struct rsp__arena_block *head;  /* current block */
	struct rsp__arena_block *first; /* kept across resets */
};
void rsp__arena_init(struct rsp__arena *a);
void *rsp__arena_alloc(struct rsp__arena *a, size_t n);
void *rsp__arena_memdup(struct rsp__arena *a, const void *p, size_t n);
char *rsp__arena_strndup(struct rsp__arena *a, const char *s, size_t n);
void rsp__arena_reset(struct rsp__arena *a); /* keep the first block */
void rsp__arena_free(struct rsp__arena *a);

/* ---- buffer.c: growable byte buffers ------------------------------- */

int rsp__buf_reserve(struct rsp_buffer *b, size_t extra);
int rsp__buf_append(struct rsp_buffer *b, const void *data, size_t len);

/* ---- log.c: log lines and refusal reasons -------------------------- */

typedef void (*rsp__log_fn)(void *ctx, const char *msg, size_t len);
/* Where log lines go: fn(ctx, line), or stderr when fn is NULL. */
struct rsp__logger {
	rsp__log_fn fn;
	void *ctx;
};
void rsp__logf(const struct rsp__logger *l, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void rsp__vlogf(const struct rsp__logger *l, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;

/* Why the last refused call was refused (NULL: nothing was): a static
 * string, or one with numbers formatted into buf.  Only the refusal path
 * pays: nothing is stored when a call succeeds. */
struct rsp__why {
	const char *text;
	char buf[96];
};
static inline int rsp__why_set(struct rsp__why *w, int rc, const char *why)
{
	w->text = why;
	return rc;
}
int rsp__why_setf(struct rsp__why *w, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The statuses a handler may set or write: final ones of three digits
 * (1xx are the server's), with the one reason a refusal gives. */
static inline bool rsp__status_settable(int code)
{
	return code >= 200 && code <= 999;
}
#define RSP__STATUS_RANGE_WHY "status code outside 200..999"

/* The status of a response nobody set one for, and the one the writer
 * sends when a header or body comes before any status. */
#define RSP__DEFAULT_STATUS 200

/* ---- grammar.c: byte classes of RFC 9110 / 6265, hot and table-driven */

extern const unsigned char rsp__ctype[256];
enum {
	RSP__TCHAR = 1 << 0,  /* RFC 9110 token character */
	RSP__VCHAR = 1 << 1,  /* field-value byte: HTAB SP VCHAR obs-text */
	RSP__COOKIE = 1 << 2, /* RFC 6265 cookie-octet */
	RSP__AVCHAR = 1 << 3, /* cookie attribute value: 0x20-0x7E except ';' */
	RSP__LDH = 1 << 4     /* letter, digit, hyphen */
};
bool rsp__is_token(const char *s, size_t len);
bool rsp__is_field_value(const char *s, size_t len);
size_t rsp__len(const void *data, ssize_t len); /* len < 0: strlen */
bool rsp__ieq(const char *a, const char *b);    /* ASCII case-insensitive */
/* Copy text for a log line into out (cap bytes, NUL-terminated): control
 * bytes, DEL, bytes over 0x7E and '\\' become \xHH, so no CR or LF from a
 * request or a caller reaches a log; cut with "..." when it does not fit.
 * Returns the length written. */
size_t rsp__escape_log(char *out, size_t cap, const void *data, size_t len);
bool rsp__ieqn(const char *a, size_t alen, const char *b);
/* Is a (alen bytes) the literal, ignoring ASCII case?  Spelt as the literal
 * is the usual case: a fixed-size memcmp the compiler inlines decides it. */
#define RSP__IS(a, alen, lit)                            \
	((alen) == sizeof(lit) - 1 &&                    \
	    (memcmp((a), (lit), sizeof(lit) - 1) == 0 || \
	        rsp__ieqn((a), (alen), (lit))))
/* RFC 9110 OWS: SP or HTAB (c a char or an unsigned char). */
static inline bool rsp__is_ws(int c)
{
	return c == ' ' || c == '\t';
}
/* A hex digit's value (either case), or -1: for %XX and chunk sizes. */
static inline int rsp__hexval(int c)
{
	if ((unsigned)(c - '0') < 10u)
		return c - '0';
	c |= 0x20;
	if ((unsigned)(c - 'a') < 6u)
		return c - 'a' + 10;
	return -1;
}
/* Does the last element of path (may be NULL) name an NPH program, that
 * is start with "nph-" (RFC 3875 5)? */
bool rsp__nph_name(const char *path);

/* ---- headers.c ------------------------------------------------------ */

struct rsp__header {
	const char *name, *value;
	uint32_t name_len, value_len;
};

#define RSP__HEADERS_INLINE 8
struct rsp_headers {
	struct rsp__header *v; /* in send order: a name's values together */
	size_t n, cap;
	/* The first few live here: most responses never allocate for headers
	 * (v points at this array until it overflows; never copy the struct). */
	struct rsp__header inline_v[RSP__HEADERS_INLINE];
	struct rsp__arena *arena;
	struct rsp__why *why;     /* where a refusal's reason goes, or NULL */
	enum rsp_flavour flavour; /* judges the names; the response keeps it */
};

void rsp__headers_init(rsp_headers *h, struct rsp__arena *arena,
    struct rsp__why *why);
void rsp__headers_clear(rsp_headers *h); /* keeps capacity */
void rsp__headers_free(rsp_headers *h);
/* Validate a header for a flavour; also the Content-Length rules. */
int rsp__header_check(enum rsp_flavour f, const char *name, size_t nlen,
    const char *value, size_t vlen, const char **why);
int rsp__headers_add(rsp_headers *h, const char *name, size_t nlen,
    const char *value, size_t vlen, bool replace);
/* Parse a Content-Length value: 1*DIGIT, no overflow.  -1 when invalid. */
int64_t rsp__parse_content_length(const char *s, size_t len);

/* ---- json.c --------------------------------------------------------- */

int rsp__json_escape(struct rsp_buffer *out, const unsigned char *s,
    size_t len);

/* ---- jsonw.c: the streaming JSON writer ------------------------------ */

#define RSP__JSONW_MAX_DEPTH 64
struct rsp__jsonw {
	struct rsp_buffer *out;   /* where the bytes go */
	struct rsp__arena *arena; /* non-NULL: out grows in this arena */
	rsp_response *target;     /* content mode: end sets the content */
	rsp_response *res;        /* stream mode: out drains to its writer */
	const char *reason;       /* why the last call was refused */
	uint64_t obj;             /* bit d: level d is an object */
	uint64_t nonempty;        /* bit d: level d has a member */
	unsigned depth;
	int err;    /* sticky RSP_EIO / RSP_ENOMEM */
	bool keyed; /* a key was written, its value is due */
	bool done;  /* the top-level value is complete */
	bool owned; /* malloc'd by rsp_jsonw_new_buffer */
};
/* A writer over a caller's buffer (grown with realloc), without allocating. */
void rsp__jsonw_init(struct rsp__jsonw *j, struct rsp_buffer *out);
/* Shortest round-tripping form of a finite double; returns its length. */
size_t rsp__json_double(char out[32], double v);

/* ---- encoding.c ----------------------------------------------------- */

struct rsp__encoding {
	char name[64]; /* as given by the caller */
	bool utf8;     /* no conversion needed */
	iconv_t cd;    /* UTF-8 -> name, or (iconv_t)-1 */
};
void rsp__encoding_init(struct rsp__encoding *e);
int rsp__encoding_set(struct rsp__encoding *e, const char *charset);
void rsp__encoding_free(struct rsp__encoding *e);
/* Convert UTF-8 text; out is appended to.  RSP_ECHARSET leaves it as it was. */
int rsp__encode(struct rsp__encoding *e, const char *text, size_t len,
    struct rsp_buffer *out);
bool rsp__utf8_valid(const unsigned char *s, size_t len);
int32_t rsp__utf8_decode(const unsigned char *s, size_t len, size_t *adv);

/* ---- fcgi.c --------------------------------------------------------- */

/* libfcgi's entry points that rsp_sink_fcgx needs, resolved on first use
 * (see fcgi.c).  rsp_run speaks FastCGI itself (fcgi_conn.c). */
struct rsp__fcgi {
	bool loaded;
	int (*PutStr)(const char *str, int n, FCGX_Stream *stream);
	int (*FFlush)(FCGX_Stream *stream);
};
/* The table, or NULL when libfcgi cannot be loaded.  Thread-safe; the
 * first call loads. */
const struct rsp__fcgi *rsp__fcgi(void);

/* ---- fcgi_record.c: FastCGI 1.0 records, no I/O ---------------------- */

#define RSP__FCGI_VERSION 1
#define RSP__FCGI_HDR_LEN 8
enum {
	RSP__FCGI_BEGIN_REQUEST = 1,
	RSP__FCGI_ABORT_REQUEST,
	RSP__FCGI_END_REQUEST,
	RSP__FCGI_PARAMS,
	RSP__FCGI_STDIN,
	RSP__FCGI_STDOUT,
	RSP__FCGI_STDERR,
	RSP__FCGI_DATA,
	RSP__FCGI_GET_VALUES,
	RSP__FCGI_GET_VALUES_RESULT,
	RSP__FCGI_UNKNOWN_TYPE
};
enum {
	RSP__FCGI_REQUEST_COMPLETE = 0,
	RSP__FCGI_CANT_MPX_CONN,
	RSP__FCGI_OVERLOADED,
	RSP__FCGI_UNKNOWN_ROLE
};
#define RSP__FCGI_RESPONDER 1
#define RSP__FCGI_KEEP_CONN 1

struct rsp__fcgi_hdr {
	unsigned version, type, id;
	size_t clen, plen;
};
void rsp__fcgi_hdr_read(const unsigned char *p, struct rsp__fcgi_hdr *h);
void rsp__fcgi_hdr_write(unsigned char *p, int type, unsigned id, size_t clen);
size_t rsp__fcgi_end_request(unsigned char out[16], unsigned id,
    uint32_t app_status, int protocol_status);
size_t rsp__fcgi_unknown_type(unsigned char out[16], int type);
/* The answer to FCGI_GET_VALUES (query q, qlen bytes), header included;
 * variables it does not know are left out.  Bytes written to out. */
size_t rsp__fcgi_get_values_result(const unsigned char *q, size_t qlen,
    unsigned char *out, size_t outcap, unsigned max_conns, unsigned max_reqs);
/* A whole PARAMS stream, rewritten in place as "NAME=VALUE" strings;
 * *envp (capacity *cap, grown with realloc) points at them, NULL-ended.
 * Pairs whose name is empty or holds '=' or NUL, or whose value holds NUL,
 * are left out.  RSP_OK, RSP_EBADREQ (a pair runs past the end), RSP_ENOMEM. */
int rsp__fcgi_params_decode(char *buf, size_t len, char ***envp, size_t *cap,
    size_t *count);

/* ---- fcgi_conn.c: one connection from the web server ----------------- */

struct rsp__conn_cfg {
	int read_timeout_ms;  /* a stalled head or body */
	int write_timeout_ms; /* a web server that stops reading */
	size_t max_params;    /* bytes of PARAMS per request */
	unsigned max_conns;   /* for FCGI_GET_VALUES */
};
struct rsp__conn;
enum rsp__conn_event { RSP__CONN_WAIT, RSP__CONN_READY, RSP__CONN_CLOSE };
struct rsp__conn *rsp__conn_new(const struct rsp__conn_cfg *cfg);
void rsp__conn_free(struct rsp__conn *c);
void rsp__conn_open(struct rsp__conn *c, int fd);
void rsp__conn_close(struct rsp__conn *c);
int rsp__conn_fd(const struct rsp__conn *c);
/* Between requests: read what is there (with read) and handle the records
 * that are complete; READY once a request's head is in. */
enum rsp__conn_event rsp__conn_advance(struct rsp__conn *c, bool read);
bool rsp__conn_begun(const struct rsp__conn *c); /* part of a request is in */
bool rsp__conn_reusable(const struct rsp__conn *c);
/* The ended request's input was read to its end: closing loses nothing. */
bool rsp__conn_drained(const struct rsp__conn *c);
void rsp__conn_linger_start(struct rsp__conn *c);   /* shutdown(SHUT_WR) */
int rsp__conn_linger_read(struct rsp__conn *c);     /* 0: closed by the peer */
bool rsp__conn_overflow(const struct rsp__conn *c); /* PARAMS over the limit */
bool rsp__conn_aborted(const struct rsp__conn *c);
/* Why the connection broke, or NULL. */
const char *rsp__conn_why(const struct rsp__conn *c);
char **rsp__conn_envp(const struct rsp__conn *c);
int rsp__conn_read(void *conn, void *buf, size_t len); /* an rsp__read_fn */
rsp_sink rsp__conn_sink(struct rsp__conn *c);
/* The request's end, once: stderr, the last stdout, the streams' ends and
 * FCGI_END_REQUEST in one write when they fit.  RSP_OK or RSP_EIO. */
int rsp__conn_end(struct rsp__conn *c, const void *err, size_t errlen,
    const void *out, size_t outlen);
long long rsp__now_ms(void); /* CLOCK_MONOTONIC */

/* ---- the runner: handle.c, listen.c, server.c, runner.c -------------- */

/* What rsp_run serves, resolved once from the options and environment. */
struct rsp__app {
	rsp_handler handler;
	void *arg;
	struct rsp_options opts;
	struct rsp_limits lim;
	int threads;  /* FastCGI workers, 1..256 */
	int drain_ms; /* after SIGTERM; 0: no deadline */
	struct rsp__conn_cfg fcgi;
};
/* Run the handler unless the request was refused (then a 400/413 is set);
 * a failure before any output becomes a 500. */
void rsp__handle(const struct rsp__app *app, rsp_request *req,
    rsp_response *res);
/* Send what the handler left unsent, unless it finished by itself. */
int rsp__handle_end(rsp_response *res);
/* Serve FastCGI until SIGTERM/SIGINT on the socket spec names (a
 * RSP_FCGI_SOCKET value) or, with spec NULL, on inherited; exit status. */
int rsp__serve_fcgi(const struct rsp__app *app, const char *spec,
    int inherited);

/* A listening socket for RSP_FCGI_SOCKET's value, or -1 with err set. */
int rsp__listen_open(const char *spec, char *err, size_t errlen);
/* A socket handed over (systemd's fd 3 when LISTEN_FDS is "1" and
 * LISTEN_PID ours, the values given; or fd 0), or -1. */
int rsp__listen_inherited(const char *listen_fds, const char *listen_pid);
bool rsp__listen_is_inet(int fd);
struct rsp__allow;
int rsp__allow_parse(const char *list, struct rsp__allow **out, char *err,
    size_t errlen);
bool rsp__allow_check(const struct rsp__allow *a, const void *sockaddr);
void rsp__allow_free(struct rsp__allow *a);

/* ---- sinks.c -------------------------------------------------------- */

/* write() until all of data is out (EINTR retried); RSP_OK or RSP_EIO.
 * For descriptors whose SIGPIPE is not a concern (files, our pipes). */
int rsp__write_all(int fd, const void *data, size_t len);
bool rsp__sink_is_fd(const rsp_sink *s, int *fd);
int rsp__sink_write(const rsp_sink *s, const void *data, size_t len);
int rsp__sink_flush(const rsp_sink *s);
/* Send up to `count` bytes of in_fd to the sink's fd with sendfile/splice.
 * Returns bytes sent (>= 0), or RSP_EIO on output failure, or RSP_ESTATE when
 * the kernel cannot do it for this pair (the caller then reads and writes). */
int64_t rsp__sink_sendfile(const rsp_sink *s, int in_fd, size_t count);

/* Write without SIGPIPE killing us, whatever the disposition. */
struct rsp__sigpipe {
	sigset_t old;
	bool pending_before;
};
void rsp__sigpipe_block(struct rsp__sigpipe *st);
void rsp__sigpipe_unblock(struct rsp__sigpipe *st, bool got_epipe);

/* ---- writer.c ------------------------------------------------------- */

/* Ends the request, sending `tail`: the writer bytes not yet sent. */
typedef int (*rsp__finish_fn)(void *ctx, const void *tail, size_t len);

/*
 * What the writer knows of the response it writes for.  The response owns
 * it and keeps it up to date; the writer only reads it (and writes through
 * its pointers), so writer.c never calls or reads the response.
 */
struct rsp__wcfg {
	enum rsp_flavour flavour;
	const char *protocol;   /* NPH status line: "HTTP/1.1" or "HTTP/1.0" */
	bool is_head;           /* answering a HEAD request */
	int64_t content_length; /* the content's known length, or -1 */
	/* The caller's switches (struct rsp_response), read when used: the
	 * caller may change them at any time. */
	const bool *add_required_headers, *send_body_for_head;
	bool *close_connection;    /* set when no Content-Length went out */
	struct rsp__arena *arena;  /* copies of reason phrases */
	struct rsp__encoding *enc; /* what rsp_writer_write encodes to */
	struct rsp__why *why;      /* where refusals' reasons go */
	struct rsp__logger log;
	rsp__finish_fn on_finish; /* NULL: the end flushes the sink */
	void *finish_ctx;
};

#define RSP__FILE_CHUNK (64 * 1024)
#define RSP__WBUF_SIZE (16 * 1024)

/* The layout is writer.c's: the response sets aside rsp__writer_size()
 * bytes (suitably aligned) for one. */
size_t rsp__writer_size(void);
void rsp__writer_init(rsp_writer *w, const struct rsp__wcfg *cfg,
    rsp_sink sink);
void rsp__writer_reset(rsp_writer *w, rsp_sink sink);
void rsp__writer_free(rsp_writer *w); /* its buffers; not w itself */
/* The header entry point; `checked` skips re-validating name and value. */
int rsp__writer_header(rsp_writer *w, const char *name, size_t nlen,
    const char *value, size_t vlen, bool checked);
/* Stream a descriptor as body bytes, at most `size` when size >= 0. */
int rsp__writer_stream_fd(rsp_writer *w, int fd, int64_t size);
/* Read a descriptor in chunks; with whole, in one chunk.  Closes fd. */
int rsp__read_fd_chunks(rsp_writer *w, int fd, int64_t size, bool whole,
    int (*each)(void *arg, const void *data, size_t len), void *arg);
/* rsp_finish's end, with rc the result so far: end a header block left
 * open (with close_head), release held bytes, check the body against its
 * Content-Length, hand the unsent bytes to cfg->on_finish or flush. */
int rsp__writer_finish(rsp_writer *w, int rc, bool close_head);
bool rsp__body_forbidden(int code); /* 1xx, 204, 205, 304 */
/* May a Content-Length with this value go out with status `code`?  None
 * on 1xx and 204 (RFC 9110 8.6), only 0 on 205 (15.3.6); refusals are
 * recorded in why. */
int rsp__cl_allowed(struct rsp__why *why, int code, const char *v, size_t vlen);

/* What the layers above may know of a writer. */
bool rsp__writer_used(const rsp_writer *w); /* anything went through */
bool rsp__writer_finished(const rsp_writer *w);
bool rsp__writer_in_body(const rsp_writer *w); /* head ended, not finished */
int rsp__writer_error(const rsp_writer *w);    /* sticky sink failure, or 0 */
/* The status written (0: none yet) and, with msg, its reason phrase. */
int rsp__writer_status(const rsp_writer *w, const char **msg);
bool rsp__writer_drops_body(const rsp_writer *w); /* HEAD: headers only */
/* Bytes the sink took: the header block's, and all of them. */
void rsp__writer_sent(const rsp_writer *w, uint64_t *head, uint64_t *total);
/* A buffer to build short texts in (cookies, redirects, the JSON error),
 * kept across requests; rsp_writer_write uses it too, so empty it after. */
struct rsp_buffer *rsp__writer_scratch(rsp_writer *w);

/* ---- response.c ----------------------------------------------------- */

enum rsp__content_kind { RSP__C_PARTS, RSP__C_STRING, RSP__C_FILE };

struct rsp__part {
	const void *data;
	size_t len; /* bytes, or */
	rsp_part_fn fn;
	void *arg;                  /* a callback */
	void (*free_fn)(void *arg); /* releases arg when the part goes */
};

/* pub.writer points just past this struct, in the same allocation. */
struct rsp__response {
	struct rsp_response pub; /* first: the public view */
	struct rsp__arena arena;
	struct rsp_headers headers;
	struct rsp__wcfg out; /* what the writer knows of us */
	int status;
	const char *status_msg; /* NULL: the table's */
	struct rsp__encoding enc;
	enum rsp__content_kind kind;
	const void *content;
	size_t content_len; /* string */
	struct rsp__part *parts;
	size_t nparts, cap_parts;
	int fd;
	bool fd_sized;
	uint64_t fd_size;    /* file */
	struct rsp__why why; /* the last refusal's reason */
};

/* Record why a call is refused (a static string) and return rc. */
static inline int rsp__refuse(struct rsp__response *r, int rc, const char *why)
{
	return rsp__why_set(&r->why, rc, why);
}

static inline struct rsp__response *rsp__res(rsp_response *r)
{
	return (struct rsp__response *)r;
}
static inline const struct rsp__response *rsp__cres(const rsp_response *r)
{
	return (const struct rsp__response *)r;
}

/* Make the content an empty list of parts (length unknown: no
 * Content-Length is inferred), closing a file content's descriptor. */
void rsp__content_clear(struct rsp__response *r);
/* Make the content `data`, which already lives in the response's arena. */
void rsp__content_take(struct rsp__response *r, const void *data, size_t len);
/* Keep len bytes of a string or sized file content, from `first` on (a
 * file's descriptor must already be there: range.c moves it). */
void rsp__content_narrow(struct rsp__response *r, uint64_t first, uint64_t len);
/* A line to the response's log (the runner's hook, else stderr). */
void rsp__log(struct rsp__response *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Runner support: reuse one response for many FastCGI requests. */
void rsp__response_reset(rsp_response *res, rsp_request *req, rsp_sink sink);
void rsp__response_set_log(rsp_response *res, rsp__log_fn fn, void *ctx);
void rsp__response_set_finish(rsp_response *res, rsp__finish_fn fn, void *ctx);

/* ---- jsonerror.c: the JSON error ------------------------------------- */

/* rsp_set_error without its log line (the runner logs its own). */
int rsp__set_error_quiet(rsp_response *res, int code, const char *message);

/* ---- httpdate.c ----------------------------------------------------- */

/* Format IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", 29 bytes + NUL). */
int rsp__imf_fixdate(time_t t, char out[30]);
/* Parse an HTTP-date in any of its three formats; `now` places RFC 850's
 * two-digit years.  RSP_OK or RSP_EINVAL. */
int rsp__parse_http_date(const char *s, size_t len, time_t now, time_t *t);

/* ---- conditional.c, range.c: validators and ranges ------------------- */

/* The entity-tag at the start of s[0..len): its length (0: none there),
 * whether weak, and the opaque-tag with its quotes. */
size_t rsp__etag_scan(const char *s, size_t len, bool *weak,
    const char **opaque, size_t *olen);
/* Does an If-Match/If-None-Match list match etag (NULL: none)? */
bool rsp__etag_match(const char *list, size_t len, const char *etag,
    size_t elen, bool weak_compare);
/* rsp_check_preconditions; trusted: etag is known to be well-formed. */
int rsp__check_preconditions(rsp_response *res, const char *etag,
    time_t last_modified, bool trusted);
/* RFC 9110 13.2.2 on the fields (NULL: absent): 0, 304 or 412. */
int rsp__preconditions(const char *method, const char *if_match,
    const char *if_unmodified, const char *if_none_match,
    const char *if_modified, const char *etag, time_t lm, time_t now);

struct rsp__range {
	uint64_t first, last;
}; /* inclusive */
#define RSP__RANGE_IGNORE (-1)
/* Parse a Range value for a representation of `size` bytes into out
 * (RSP_MAX_RANGES entries): the number of satisfiable ranges (0: 416), or
 * RSP__RANGE_IGNORE (invalid, another unit, too many, overlapping). */
int rsp__range_parse(const char *s, size_t len, uint64_t size,
    struct rsp__range *out);

/* ---- request side (request.c, body.c, form.c, auth.c; urlencoded.c,
 * multipart.c, cookie_parse.c) */

/* A decoded name/value pair; both NUL-terminated and request-owned. */
struct rsp__pair {
	const char *name, *value;
	size_t nlen, vlen;
};
struct rsp__pairs {
	struct rsp__pair *v;
	size_t n;
};

/*
 * WHATWG application/x-www-form-urlencoded parsing of s[0..len) (never reads
 * s[len]).  Pairs and decoded bytes go into the arena.  RSP_EBADREQ when a
 * name or value holds a NUL byte (raw or %00), else RSP_ELIMIT when there
 * are more than max_pairs non-empty sequences (found before decoding),
 * RSP_ENOMEM.  On error *out is empty.  Linear time.
 */
int rsp__urlencoded_parse(struct rsp__arena *a, const char *s, size_t len,
    size_t max_pairs, struct rsp__pairs *out);
/* The verdict rsp__urlencoded_parse would give on the same input (RSP_OK,
 * RSP_ELIMIT, or RSP_EBADREQ for a NUL, raw or from "%00"), without
 * building the pairs. */
int rsp__urlencoded_judge(const char *s, size_t len, size_t max_pairs);

/*
 * Cookie header parsing (RFC 6265 section 5.4 cookie-string, leniently):
 * split on ';', trim SP/HTAB, skip crumbs without '=', with a name that is
 * not a token, or with a control byte in the value; a value wrapped in one
 * pair of double quotes loses them.  Order and duplicates kept.  Never reads
 * s[len].  RSP_OK or RSP_ENOMEM (then *out is empty).
 */
int rsp__cookie_parse(struct rsp__arena *a, const char *s, size_t len,
    struct rsp__pairs *out);

/* One multipart/form-data part.  Fields (no filename) have up.filename NULL
 * and value a NUL-terminated copy; uploads have value NULL and up.data
 * pointing into the body. */
struct rsp__mpart {
	struct rsp_upload up;
	const char *value;
};
struct rsp__multipart {
	struct rsp__mpart *v;
	size_t n;
};

/* Is the media type of Content-Type value ct[0..len) `type` (e.g.
 * "multipart/form-data"), ignoring case and parameters? */
bool rsp__media_type_is(const char *ct, size_t len, const char *type);
/* The boundary parameter of a multipart Content-Type (quoted or not),
 * copied into the arena: 1..max_len bchars, not ending in a space, exactly
 * one boundary parameter.  RSP_EBADREQ otherwise, RSP_ENOMEM. */
int rsp__multipart_boundary(struct rsp__arena *a, const char *ct, size_t len,
    size_t max_len, const char **boundary, size_t *blen);
/* Parse a whole multipart/form-data body.  Uses lim->max_parts and
 * lim->max_part_header (resolved, non-zero).  On error *out is empty. */
int rsp__multipart_parse(struct rsp__arena *a, const unsigned char *body,
    size_t len, const char *boundary, size_t blen, const struct rsp_limits *lim,
    struct rsp__multipart *out);

/* Fill every zero field of *in (NULL: all zero) with its default; a zero
 * max_body takes RSP_MAX_BODY from the process environment, else 16 MiB.
 * The runner resolves once and passes the result, so per-request
 * construction does not consult the environment. */
void rsp__limits_resolve(struct rsp_limits *out, const struct rsp_limits *in);
/* The same with RSP_MAX_BODY's value given (NULL: unset). */
void rsp__limits_resolve_with(struct rsp_limits *out,
    const struct rsp_limits *in, const char *env_max_body);

/* Body reader: bytes read (> 0), 0 at end of input, negative on error.
 * FCGX_GetStr fits (it is called with at most 1 GiB at a time). */
typedef int (*rsp__read_fn)(void *ctx, void *buf, size_t len);

/*
 * A request over an environment array that is NOT copied (libfcgi's params)
 * and a body reader (libfcgi's input stream): both must stay valid until
 * rsp__request_detach, rsp__request_reset or rsp_request_free.  Strings handed
 * out are still always request-owned (copied on first hand-out), so they
 * survive detach.  NULL on out of memory.
 */
rsp_request *rsp__request_new_reader(char *const *envp, rsp__read_fn read,
    void *ctx, const struct rsp_limits *lim);
/* The variables the library reads, indexed by one pass over the environment
 * when the request starts (request.c), so that looking one up costs a load.
 * rsp_request_param finds these through the index too; rsp__request_var's
 * value is the environment's, not handed out: read it at once. */
enum rsp__var {
	RSP__V_METHOD,
	RSP__V_PROTO,
	RSP__V_SCRIPT,
	RSP__V_SCRIPT_FILE,
	RSP__V_QUERY,
	RSP__V_CLEN,
	RSP__V_CTYPE,
	RSP__V_URI,
	RSP__V_PATH_INFO,
	RSP__V_REMOTE_ADDR,
	RSP__V_REMOTE_USER,
	RSP__V_COOKIE,
	RSP__V_AUTH,
	RSP__V_IF_MATCH,
	RSP__V_IF_NONE_MATCH,
	RSP__V_IF_MODIFIED_SINCE,
	RSP__V_IF_UNMODIFIED_SINCE,
	RSP__V_RANGE,
	RSP__V_IF_RANGE,
	RSP__V_REFERER,
	RSP__V_USER_AGENT,
	RSP__V_N
};
const char *rsp__request_var(const rsp_request *req, enum rsp__var v);
/*
 * The CGI runner's request: over the process environment without copying
 * its strings (only the pointer array, which a setenv may replace), values
 * copied when handed out, the body read from body_fd.  NULL on out of memory.
 */
rsp_request *rsp__request_new_env(char *const *envp, int body_fd,
    const struct rsp_limits *lim);
/*
 * Make the request independent of envp and the reader: read the rest of the
 * body (up to the limit; errors are kept for rsp_request_status) and copy the
 * environment.  Afterwards the FastCGI request may be finished.  RSP_OK, or
 * RSP_ENOMEM (the environment then reads as empty; strings already handed
 * out stay valid).
 */
int rsp__request_detach(rsp_request *req);
/*
 * Reuse a request object for the next FastCGI request: everything of the
 * previous request is released in one place (arena reset, body buffer freed
 * or unmapped), the arena's first block is kept.  Same arguments as
 * rsp__request_new_reader.
 */
void rsp__request_reset(rsp_request *req, char *const *envp, rsp__read_fn read,
    void *ctx, const struct rsp_limits *lim);

/* The HTTP status that answers a request rsp_request_status judged st
 * (not RSP_OK): 400 malformed, 414 a query over max_query, 413 any other
 * limit, 500 out of memory. */
int rsp__request_refusal_status(const rsp_request *req, int st);
/* Is the request's body descriptor holding bytes no CONTENT_LENGTH
 * declares (RFC 3875 4.1.2: then there is no body)?  Not for a terminal. */
bool rsp__request_unread_input(rsp_request *req);

/* ---- refusal.c: what the runner says about a refused request -------- */

/* The request was refused with st (rsp_request_status): log one line with
 * the reason and answer with the generic JSON error of its status. */
void rsp__refuse_request(rsp_request *req, rsp_response *res, int st);
/* The handler returned rc != 0: log why, and when nothing went out yet,
 * answer 500 with the generic body (the detail stays in the log). */
void rsp__handler_failed(rsp_request *req, rsp_response *res, int rc);
/* The handler succeeded but left a response rsp_finish would refuse
 * before writing anything (a Content-Length on 204, or other than 0 on
 * 205): log why and answer 500 with the generic body instead. */
void rsp__check_response(rsp_request *req, rsp_response *res);
/* A CGI program run by hand with a body on stdin but no CONTENT_LENGTH:
 * say on stderr, once, that the body is ignored. */
void rsp__hint_unread_body(rsp_request *req, rsp_response *res);
/* The router's match for the request being dispatched (route.c), or NULL. */
void rsp__request_set_route(rsp_request *req, const void *match);
const void *rsp__request_route(const rsp_request *req);

/* ---- accesslog.c: what the runner tells the access-log hook -------- */

struct rsp__access;
struct rsp__access *rsp__access_start(const struct rsp_options *o,
    rsp_request *req, rsp_response *res);
void rsp__access_emit(const struct rsp__access *a, rsp_response *res);
/* Before the handler: without a hook, nothing (NULL); with one, the clock
 * and the request's fields, copied (under FastCGI the environment is freed
 * when the request ends) into the response's memory. */
static inline struct rsp__access *rsp__access_begin(const struct rsp_options *o,
    rsp_request *req, rsp_response *res)
{
	return o != NULL && o->access_log != NULL
	    ? rsp__access_start(o, req, res)
	    : NULL;
}
/* After the response ended: what went out, to the hook. */
static inline void rsp__access_end(const struct rsp__access *a,
    rsp_response *res)
{
	if (a != NULL)
		rsp__access_emit(a, res);
}

/* ---- end request side ---------------------------------------------- */

#endif /* RESPOND_INTERNAL_H */
