/*
 * respond.h - the one public header of librespond.
 *
 * A handler fills in an rsp_response (status, headers, cookies, content)
 * and respond writes it as a CGI, NPH or FastCGI response.  The model is
 * wptserve's Response/ResponseHeaders/ResponseWriter; see respond(3).
 */
#ifndef RESPOND_H
#define RESPOND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RSP_VERSION "0.1.0"

/*
 * Error codes.  Every fallible call returns RSP_OK (0) or one of these,
 * except rsp_run and rsp_run_with, which return an exit status for main.
 * One list generates the enum and the table behind rsp_strerror().
 */
/* clang-format off */
#define RSP_ERR_MAP(X)                                                   \
	X(RSP_OK,        0, "success")                                   \
	X(RSP_EINVAL,   -1, "invalid argument: breaks HTTP grammar")     \
	X(RSP_ESTATE,   -2, "call out of order for the response state")  \
	X(RSP_EIO,      -3, "output failed: client gone or sink error")  \
	X(RSP_ENOMEM,   -4, "out of memory")                             \
	X(RSP_ELIMIT,   -5, "a configured limit was exceeded")           \
	X(RSP_EBADREQ,  -6, "malformed request")                         \
	X(RSP_ECHARSET, -7, "unknown encoding or unrepresentable text")  \
	X(RSP_ECALLBACK,-8, "a content callback reported failure")
/* clang-format on */

enum rsp_err {
#define RSP_ERR_ENUM_(name, val, text) name = (val),
	RSP_ERR_MAP(RSP_ERR_ENUM_)
#undef RSP_ERR_ENUM_
};

/* The message for an error code, and its name ("RSP_EINVAL");
 * "unknown error" and "RSP_UNKNOWN" for a value not in the list. */
const char *rsp_strerror(int err);
const char *rsp_err_name(int err);

/* Standard reason phrase for a status code, "" when it has none. */
const char *rsp_status_reason(int code);

/* ---------------------------------------------------------------- */
/* Handlers and the runner                                           */

typedef struct rsp_request rsp_request;
typedef struct rsp_response rsp_response;
typedef struct rsp_headers rsp_headers;
typedef struct rsp_writer rsp_writer;

struct rsp_buffer;
typedef int (*rsp_handler)(rsp_request *req, rsp_response *res, void *arg);

/*
 * Serve handler as a CGI program or a FastCGI application; see rsp_run(3).
 * Returns an exit status for main, not an RSP_* code: 0 when the response
 * went out (CGI) or the server stopped cleanly (FastCGI); 1 when the
 * response could not be written in full, memory ran out, the FastCGI socket
 * could not be opened or no worker started; 64 when handler is NULL.
 */
int rsp_run(rsp_handler handler, void *arg);

/*
 * What one finished request sent, for an access log.  Strings are never
 * NULL ("-" when unknown) and live only during the call.  status: the one
 * written (0: none, e.g. raw output); header_bytes and body_bytes: what the
 * sink accepted (raw output counts as body); refused: why the runner
 * answered 400/413 without calling the handler, or NULL.
 */
struct rsp_access {
	const char *remote_addr, *remote_user, *method, *uri, *protocol;
	const char *referer, *user_agent;
	int status;
	uint64_t header_bytes, body_bytes;
	struct timespec start; /* CLOCK_REALTIME */
	uint64_t duration_us;
	bool client_gone;
	const char *refused;
};
typedef void (*rsp_access_fn)(const struct rsp_access *a, void *arg);

/* A ready-made hook: arg is a struct rsp_access_log; one line per request
 * in one write(2).  Times are UTC. */
enum rsp_log_format { RSP_LOG_COMMON, RSP_LOG_COMBINED, RSP_LOG_JSON };
struct rsp_access_log {
	int fd; /* 2 for stderr */
	enum rsp_log_format format;
};
void rsp_access_log_write(const struct rsp_access *a, void *log);
/* The line rsp_access_log_write would write, appended to out. */
int rsp_access_log_format(const struct rsp_access *a, enum rsp_log_format f,
    struct rsp_buffer *out);

struct rsp_options {
	size_t max_body; /* 0: 16 MiB; also RSP_MAX_BODY in the environment */
	int threads;     /* FastCGI worker threads; 0: RSP_THREADS, else 1 */
	bool see_bad_requests;
	/* FastCGI; 0 takes the environment variable named, else the default. */
	unsigned read_timeout_ms; /* RSP_READ_TIMEOUT: a stalled request, 5 s */
	unsigned drain_timeout_ms; /* RSP_DRAIN_TIMEOUT: after SIGTERM, 30 s */
	unsigned max_conns;        /* RSP_MAX_CONNS: open connections, 256 */
	rsp_access_fn access_log;  /* called once per request when it is done */
	void *access_arg;
};
int rsp_run_with(rsp_handler handler, void *arg,
    const struct rsp_options *opts);

/* ---------------------------------------------------------------- */
/* Routing                                                           */

/*
 * A table of routes, compiled once by rsp_router_new (NULL and a message in
 * err when a pattern is malformed or two routes are ambiguous).  method:
 * "GET", "POST", ... or NULL/"*" for any; a GET route also serves HEAD.
 * pattern: "/" then segments: literal text (compared with the decoded
 * request segment), "{name}" (one non-empty segment) or, last, "*" (the
 * rest, raw).  The path is REQUEST_URI's (split before decoding, so "%2F"
 * stays in its segment) less SCRIPT_NAME, else PATH_INFO.  Trailing slashes
 * are significant.  No match: 404; a path match with another method: 405
 * with Allow; OPTIONS without a route: 204 with Allow.  See rsp_router_new(3).
 */
struct rsp_route {
	const char *method;
	const char *pattern;
	rsp_handler handler;
	void *arg;
};
typedef struct rsp_router rsp_router;
rsp_router *rsp_router_new(const struct rsp_route *routes, size_t n, char *err,
    size_t errlen);
void rsp_router_free(rsp_router *rt);
/* An rsp_handler: pass the router as arg (rsp_run_with(rsp_router_dispatch, rt, o)). */
int rsp_router_dispatch(rsp_request *req, rsp_response *res, void *router);
int rsp_run_routes(const struct rsp_route *routes, size_t n,
    const struct rsp_options *opts);
const char *rsp_route_param(const rsp_request *req, const char *name);
const char *rsp_route_pattern(const rsp_request *req);

/* ---------------------------------------------------------------- */
/* Buffers and sinks                                                 */

struct rsp_buffer {
	char *data;
	size_t len, cap;
};
int rsp_buffer_append(struct rsp_buffer *buf, const void *data, ssize_t len);
void rsp_buffer_free(struct rsp_buffer *buf);

struct FCGX_Stream;
typedef struct rsp_sink {
	/* RSP_OK or RSP_EIO */
	int (*write)(void *ctx, const void *data, size_t len);
	int (*flush)(void *ctx); /* may be NULL */
	void *ctx;
} rsp_sink;

rsp_sink rsp_sink_fd(int fd); /* CGI stdout: rsp_sink_fd(1) */
rsp_sink rsp_sink_fcgx(struct FCGX_Stream *out);
/* In memory: tests, embedding. */
rsp_sink rsp_sink_buffer(struct rsp_buffer *buf);

/* ---------------------------------------------------------------- */
/* The response                                                      */

enum rsp_flavour { RSP_CGI, RSP_NPH, RSP_H2 };

struct rsp_response {
	rsp_request *request;            /* the request this answers */
	rsp_headers *headers;            /* the headers that rsp_write sends */
	rsp_writer *writer;              /* direct access to the output */
	bool add_required_headers;       /* default true */
	bool send_body_for_head_request; /* default false */
	bool close_connection;           /* default false */
	/* private state follows; never allocate this struct yourself */
};

rsp_response *rsp_response_new(rsp_request *req, rsp_sink sink);
void rsp_response_free(rsp_response *res);

/* Before any output. */
int rsp_set_flavour(rsp_response *res, enum rsp_flavour f);
enum rsp_flavour rsp_flavour(const rsp_response *res);

int rsp_set_status(rsp_response *res, int code, const char *message);
int rsp_status(const rsp_response *res, const char **message);
int rsp_set_encoding(rsp_response *res, const char *charset);
const char *rsp_encoding(const rsp_response *res);

int rsp_set_content(rsp_response *res, const void *data, ssize_t len);
int rsp_add_content(rsp_response *res, const void *data, ssize_t len);
/* fn runs when the body is written, which may be after the handler has
 * returned; free_fn (may be NULL) releases arg exactly once, when the part
 * is dropped: the content replaced, the response reset or freed, or this
 * call refused. */
typedef int (*rsp_part_fn)(void *arg, const void **data, size_t *len);
int rsp_add_content_fn(rsp_response *res, rsp_part_fn fn, void *arg,
    void (*free_fn)(void *arg));
int rsp_set_content_file(rsp_response *res, int fd);
int rsp_iter_content(rsp_response *res, bool read_file,
    int (*each)(void *arg, const void *data, size_t len), void *arg);

int rsp_write_status_headers(rsp_response *res);
int rsp_write_content(rsp_response *res);
int rsp_write(rsp_response *res);
int rsp_finish(rsp_response *res);

int rsp_set_error(rsp_response *res, int code, const char *message);

/*
 * Why the last refused call on this response (or on its headers or
 * writer) was refused, e.g. "Content-Length 5 on a 204 response": never
 * NULL, "" when no call has been refused yet.  Successful calls leave it
 * as it was, so read it right after a call returns an error.  Valid until
 * the next call on the response.
 */
const char *rsp_response_errmsg(const rsp_response *res);

/*
 * File offload: the web server sends the file instead of the handler.
 * Never on by default; each call names its mechanism.  NGINX: target is an
 * internal URI ("/protected/a.pdf"), sent as X-Accel-Redirect; APACHE
 * (mod_xsendfile): target is an absolute file path, sent as X-Sendfile.
 * The content and any Content-Length are dropped, the status becomes 200;
 * other headers (Content-Type, Set-Cookie, ...) stay.  See
 * rsp_offload_file(3): the server's configuration must confine the targets.
 */
enum rsp_offload { RSP_OFFLOAD_NONE, RSP_OFFLOAD_NGINX, RSP_OFFLOAD_APACHE };
int rsp_offload_file(rsp_response *res, enum rsp_offload how,
    const char *target);

/* ---------------------------------------------------------------- */
/* Validators, conditional requests, ranges, files                   */

/* HTTP-date (RFC 9110 section 5.6.7).  rsp_http_date writes IMF-fixdate
 * ("Sun, 06 Nov 1994 08:49:37 GMT", 29 bytes and a NUL); years 1601-9999.
 * rsp_parse_http_date reads IMF-fixdate, RFC 850 and asctime dates. */
int rsp_http_date(time_t t, char out[30]);
int rsp_parse_http_date(const char *s, ssize_t len, time_t *t);

/* No Last-Modified for rsp_check_preconditions. */
#define RSP_NO_DATE ((time_t)-1)
/*
 * RFC 9110 section 13.2.2 for the representation whose validators are etag
 * (an entity-tag with its quotes, "W/" when weak; NULL: none) and
 * last_modified (RSP_NO_DATE: none); both are also set as the ETag and
 * Last-Modified fields.  Returns 0: go on and answer; 304 or 412: the
 * response has been made that answer, send it as it is; or an RSP_* error.
 */
int rsp_check_preconditions(rsp_response *res, const char *etag,
    time_t last_modified);

/* Ranges beyond this many in one Range field make it ignored (200). */
#define RSP_MAX_RANGES 100
/*
 * RFC 9110 section 14: answer the request's Range (and If-Range, compared
 * with the response's ETag and Last-Modified fields) from the content, a
 * string or a regular file.  Returns 0: the whole content goes out (200);
 * 206 or 416: the response has been made that answer; or an RSP_* error.
 */
int rsp_apply_range(rsp_response *res);

/* Content-Disposition: type (a token, e.g. "attachment") and a UTF-8 file
 * name (NULL: none) as RFC 6266 with RFC 8187's filename*. */
int rsp_content_disposition(rsp_response *res, const char *type,
    const char *filename);
/* The media type for a file name's extension: the built-in table, else
 * /etc/mime.types (copied into buf), else "application/octet-stream". */
const char *rsp_mime_type(const char *filename, char *buf, size_t size);

enum rsp_file_flags {
	RSP_FILE_ATTACHMENT = 1 << 0, /* Content-Disposition: attachment */
	RSP_FILE_NO_RANGES = 1 << 1   /* whole file only, no Accept-Ranges */
};
/*
 * Serve path (relative, '/'-separated) from beneath the directory root_fd:
 * validators, Content-Type, preconditions and ranges; 404 for anything
 * missing, not a regular file or outside the root, 403 when unreadable.
 * RSP_OK when the response holds the answer, or an RSP_* error.
 */
int rsp_serve_file(rsp_response *res, int root_fd, const char *path,
    unsigned flags);
/* Server-Sent Events and redirects                                  */

/*
 * rsp_sse_start sends the status (rsp_set_status, default 200) and the
 * headers with Content-Type: text/event-stream, Cache-Control: no-store and
 * X-Accel-Buffering: no, without Content-Length.  Each rsp_sse_event (id and
 * event may be NULL; CR or LF in them is RSP_EINVAL; data is split on every
 * CRLF, CR and LF into "data:" lines), rsp_sse_retry and rsp_sse_comment is
 * flushed at once; a client that went away shows as RSP_EIO.
 */
int rsp_sse_start(rsp_response *res);
int rsp_sse_event(rsp_response *res, const char *id, const char *event,
    const void *data, ssize_t len);
int rsp_sse_retry(rsp_response *res, unsigned ms);
int rsp_sse_comment(rsp_response *res, const char *text);

/* code: 301, 302, 303, 307 or 308; location: an RFC 3986 URI reference. */
int rsp_redirect(rsp_response *res, int code, const char *location);
/* RFC 3875 6.2.2: "Location: /path?query" alone, for the server to serve. */
int rsp_cgi_local_redirect(rsp_response *res, const char *path);

/* ---------------------------------------------------------------- */
/* Cookies                                                           */

struct rsp_cookie {
	const char *path;     /* NULL: "/" ; "": no Path */
	const char *domain;   /* NULL: none */
	const char *comment;  /* NULL: none */
	const char *samesite; /* NULL, "Strict", "Lax" or "None" */
	bool secure, httponly, partitioned;
	bool has_max_age;
	long long max_age; /* seconds */
	bool has_expires;
	time_t expires; /* absolute time */
};

/* attrs NULL: the defaults. */
int rsp_set_cookie(rsp_response *res, const char *name, const char *value,
    const struct rsp_cookie *attrs);
int rsp_unset_cookie(rsp_response *res, const char *name);
int rsp_delete_cookie(rsp_response *res, const char *name, const char *path,
    const char *domain);

/* ---------------------------------------------------------------- */
/* Headers                                                           */

int rsp_headers_set(rsp_headers *h, const char *name, const char *value);
int rsp_headers_append(rsp_headers *h, const char *name, const char *value);
int rsp_headers_setf(rsp_headers *h, const char *name, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int rsp_headers_appendf(rsp_headers *h, const char *name, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
const char *rsp_headers_get(const rsp_headers *h, const char *name);
size_t rsp_headers_get_all(const rsp_headers *h, const char *name,
    const char **values, size_t max);
bool rsp_headers_contains(const rsp_headers *h, const char *name);
int rsp_headers_remove(rsp_headers *h, const char *name);
bool rsp_headers_next(const rsp_headers *h, size_t *pos, const char **name,
    const char **value);
size_t rsp_headers_count(const rsp_headers *h);

/* ---------------------------------------------------------------- */
/* The writer                                                        */

int rsp_writer_write_status(rsp_writer *w, int code, const char *message);
int rsp_writer_write_header(rsp_writer *w, const char *name, const char *value);
int rsp_writer_end_headers(rsp_writer *w);
int rsp_writer_write_content(rsp_writer *w, const void *data, ssize_t len);
int rsp_writer_write_content_file(rsp_writer *w, int fd);
int rsp_writer_write(rsp_writer *w, const char *text, ssize_t len);
int rsp_writer_write_raw(rsp_writer *w, const void *data, ssize_t len);
int rsp_writer_flush(rsp_writer *w);
int rsp_writer_encode(rsp_writer *w, const char *text, ssize_t len,
    struct rsp_buffer *out);

/* ---------------------------------------------------------------- */
/* JSON                                                              */

/*
 * Append `s` to `out` as a JSON string literal, quotes included, escaped
 * exactly as Python's json.dumps(ensure_ascii=True) does; invalid UTF-8
 * becomes U+FFFD.
 */
int rsp_json_string(struct rsp_buffer *out, const void *s, ssize_t len);

/*
 * A streaming JSON writer.  Output uses Python's json.dumps separators
 * (", " and ": ") and string escaping (rsp_json_string).  CONTENT mode
 * collects the document and rsp_jsonw_end makes it the response's content
 * with Content-Type: application/json; STREAM mode sends it through the
 * response's writer as it grows (status and headers go out first, no
 * Content-Length).  A writer made for a response lives in its memory and
 * needs no free.  Misuse (a key outside an object, a value where a key is
 * due, an unbalanced end) is RSP_ESTATE, with rsp_jsonw_reason saying why;
 * a refused call writes nothing.
 */
typedef struct rsp_jsonw rsp_jsonw;
enum rsp_jsonw_mode { RSP_JSONW_CONTENT, RSP_JSONW_STREAM };
rsp_jsonw *rsp_jsonw_new(rsp_response *res, enum rsp_jsonw_mode mode);
rsp_jsonw *rsp_jsonw_new_buffer(struct rsp_buffer *out);
void rsp_jsonw_free(rsp_jsonw *j);
int rsp_jsonw_object_begin(rsp_jsonw *j);
int rsp_jsonw_object_end(rsp_jsonw *j);
int rsp_jsonw_array_begin(rsp_jsonw *j);
int rsp_jsonw_array_end(rsp_jsonw *j);
int rsp_jsonw_key(rsp_jsonw *j, const char *key, ssize_t len);
int rsp_jsonw_string(rsp_jsonw *j, const char *s, ssize_t len);
int rsp_jsonw_int(rsp_jsonw *j, int64_t v);
int rsp_jsonw_double(rsp_jsonw *j, double v); /* NaN, Inf: RSP_EINVAL */
int rsp_jsonw_bool(rsp_jsonw *j, bool v);
int rsp_jsonw_null(rsp_jsonw *j);
/* json is not checked. */
int rsp_jsonw_raw(rsp_jsonw *j, const char *json, ssize_t len);
int rsp_jsonw_end(rsp_jsonw *j);
const char *rsp_jsonw_reason(const rsp_jsonw *j);

/* Status, Content-Type: application/json and a copy of json as content. */
int rsp_set_json(rsp_response *res, int status, const char *json, ssize_t len);

/* ---------------------------------------------------------------- */
/* The request                                                       */

/*
 * A request reads CGI meta-variables from envp (copied; NULL: none) and the
 * body from body_fd (not closed; < 0: none) or from memory (copied).
 * Nothing is parsed until asked for.  Every string handed out is owned by
 * the request and lives until rsp_request_free; values are raw bytes.
 *
 *  - method: REQUEST_METHOD as sent (case kept), "GET" when unset or empty.
 *  - param: any variable by exact name.  header: HTTP_* by HTTP name, any
 *    case, '-' and '_' alike ("User-Agent" <- HTTP_USER_AGENT);
 *    Content-Type and Content-Length come from CONTENT_TYPE/CONTENT_LENGTH.
 *  - query: QUERY_STRING, WHATWG urlencoded parsing ('&' only, '+' is a
 *    space, a malformed '%' stays literal, no UTF-8 replacement); names are
 *    case-sensitive, the first value wins, query_all gives all in order.
 *  - cookie: HTTP_COOKIE split on ';', trimmed; crumbs without '=', with a
 *    non-token name or a control byte in the value are skipped; one pair of
 *    enclosing double quotes is removed.  Duplicates are kept in order and
 *    the FIRST wins (user agents send the most specific path first).  A
 *    Cookie header over max_cookie is ignored whole (no cookies, no error).
 *  - body: exactly CONTENT_LENGTH bytes (absent or empty: no body, data ""
 *    and len 0); larger than spill_threshold it is a read-only mapping of an
 *    unlinked temporary file in $TMPDIR (else /tmp).
 *  - form: urlencoded or multipart/form-data body fields (not the query);
 *    multipart parts with a filename are uploads (rsp_request_upload: data
 *    points into the body, filename exactly as sent, content_type defaults
 *    to "text/plain"), the others are form fields.  On any error no field
 *    and no upload is visible.
 *  - auth: HTTP Basic from HTTP_AUTHORIZATION: scheme in any case, one or
 *    more spaces, strict base64 (padding required, no stray bits), split at
 *    the first ':'; control bytes refused.
 *
 * The getters that take a const request may be called from several
 * threads at once; the calls that take a non-const one need the request to
 * themselves.  So does rsp_finish, for this purpose: under FastCGI a finish
 * while the handler runs makes the request independent of its connection
 * (copies its variables), which no getter may overlap.
 *
 * rsp_request_status checks, and returns the worst of (RSP_EBADREQ over
 * RSP_ELIMIT over anything else): REQUEST_METHOD a token when set; the
 * query (length, pair count, no NUL from %00); CONTENT_LENGTH (1*DIGIT up
 * to 2^63-1, else RSP_EBADREQ; over max_body RSP_ELIMIT, before anything is
 * read); the body when one is declared, whatever its type (reads it: input
 * shorter than declared is RSP_EBADREQ, a read failure RSP_EIO); and the
 * form when CONTENT_TYPE is a form type.  Cookies and credentials are not
 * judged.
 */
rsp_request *rsp_request_new(char *const *envp, int body_fd);
rsp_request *rsp_request_from_memory(char *const *envp, const void *body,
    size_t len);
void rsp_request_free(rsp_request *req);

const char *rsp_request_method(const rsp_request *req); /* "GET" if unset */
const char *rsp_request_param(const rsp_request *req, const char *name);
const char *rsp_request_header(const rsp_request *req, const char *name);
const char *rsp_request_query(const rsp_request *req, const char *name);
size_t rsp_request_query_all(const rsp_request *req, const char *name,
    const char **values, size_t max);
const char *rsp_request_cookie(const rsp_request *req, const char *name);
const char *rsp_request_form(rsp_request *req, const char *name);
struct rsp_upload {
	const char *name, *filename, *content_type;
	const void *data;
	size_t len;
};
const struct rsp_upload *rsp_request_upload(rsp_request *req, const char *name);
int rsp_request_body(rsp_request *req, const void **data, size_t *len);
int rsp_request_auth(const rsp_request *req, const char **user,
    const char **password);
int rsp_request_status(rsp_request *req);
/*
 * Why the request was judged bad, e.g. "body ended after 3 of 10 bytes":
 * the reason behind the worst error rsp_request_status found (or behind the
 * last failed body or form call); "" when none.  Owned by the request.
 */
const char *rsp_request_errmsg(const rsp_request *req);

/*
 * Request limits.  A zero field takes the default shown.  Exceeding one makes
 * rsp_request_status return RSP_ELIMIT (cookies excepted, see max_cookie).
 */
struct rsp_limits {
	size_t max_body;  /* body bytes (CONTENT_LENGTH); 16 MiB, or
			     RSP_MAX_BODY from the process environment */
	size_t max_query; /* QUERY_STRING bytes; 64 KiB */
	size_t
	    max_params; /* pairs in the query, and in a urlencoded body; 1000 */
	size_t max_parts;       /* multipart parts; 1000 */
	size_t max_part_header; /* bytes of one part's header block; 8 KiB */
	size_t max_boundary;    /* multipart boundary length; 70 (RFC 2046) */
	size_t max_cookie;      /* HTTP_COOKIE bytes; 8 KiB.  A longer header is
				   ignored whole: no cookies, not an error */
	size_t spill_threshold; /* bodies larger than this go to an unlinked
				   temporary file, mapped read-only; 1 MiB */
};

rsp_request *rsp_request_new_with(char *const *envp, int body_fd,
    const struct rsp_limits *lim);
rsp_request *rsp_request_from_memory_with(char *const *envp, const void *body,
    size_t len, const struct rsp_limits *lim);

/*
 * Iteration, in input order, duplicates included:
 *   size_t pos = 0; const char *n, *v;
 *   while (rsp_request_query_next(req, &pos, &n, &v)) ...
 * Header names come out lower-case with '-' ("user-agent"); params are the
 * raw variables.  Uploads are the multipart parts that carry a filename;
 * form fields are all other fields.
 */
bool rsp_request_param_next(const rsp_request *req, size_t *pos,
    const char **name, const char **value);
bool rsp_request_header_next(const rsp_request *req, size_t *pos,
    const char **name, const char **value);
bool rsp_request_query_next(const rsp_request *req, size_t *pos,
    const char **name, const char **value);
bool rsp_request_cookie_next(const rsp_request *req, size_t *pos,
    const char **name, const char **value);
bool rsp_request_form_next(rsp_request *req, size_t *pos, const char **name,
    const char **value);
const struct rsp_upload *rsp_request_upload_next(rsp_request *req, size_t *pos);
size_t rsp_request_form_all(rsp_request *req, const char *name,
    const char **values, size_t max);

#ifdef __cplusplus
}
#endif

#endif /* RESPOND_H */
