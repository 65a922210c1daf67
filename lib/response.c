/*
 * response.c - the Response: status, content (a string, parts and part
 * callbacks, or a file), encoding, flavour, the JSON error, and rsp_write,
 * which serialises all of it through the writer.  A response's memory lives
 * in its arena and goes in one place, rsp_response_free or the reset between
 * FastCGI requests.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_STATUS 200

/* ---- construction ------------------------------------------------------ */

static const char *basename_of(const char *path)
{
	const char *base = path;
	for (const char *p = path; p != NULL && *p != '\0'; p++)
		if (*p == '/')
			base = p + 1;
	return base;
}

/* Does s (may be NULL) start with the NUL-terminated prefix? */
static bool starts_with(const char *s, const char *prefix)
{
	if (s == NULL)
		return false;
	while (*prefix != '\0')
		if (*s++ != *prefix++)
			return false;
	return true;
}

static bool equals(const char *s, const char *lit)
{
	return starts_with(s, lit) && s[strlen(lit)] == '\0';
}

/* Flavour, status-line protocol and HEAD-ness come from the request (read
 * now: the values are the environment's, not handed out). */
static void take_request(struct rsp__response *r, rsp_request *req)
{
	const char *proto = rsp__request_var(req, RSP__V_PROTO);
	const char *method = rsp__request_var(req, RSP__V_METHOD);

	r->pub.request = req;
	r->flavour = RSP_CGI;
	r->protocol = "HTTP/1.1";
	if (starts_with(proto, "HTTP/")) {
		if (proto[5] == '2' || proto[5] == '3')
			r->flavour = RSP_H2;
		else if (equals(proto + 5, "1.0"))
			r->protocol = "HTTP/1.0";
	}
	if (r->flavour == RSP_CGI) {
		const char *script = rsp__request_var(req, RSP__V_SCRIPT);
		if (script == NULL || *script == '\0')
			script = rsp__request_var(req, RSP__V_SCRIPT_FILE);
		if (starts_with(basename_of(script), "nph-"))
			r->flavour = RSP_NPH;
	}
	r->headers.flavour = r->flavour;
	r->is_head = method != NULL && method[0] == 'H' && equals(method, "HEAD");
}

static void set_defaults(struct rsp__response *r)
{
	r->pub.add_required_headers = true;
	r->pub.send_body_for_head_request = false;
	r->pub.close_connection = false;
	r->status = DEFAULT_STATUS;
	r->status_msg = NULL;
	r->kind = RSP__C_PARTS;
	r->content = NULL;
	r->content_len = 0;
	r->nparts = 0;
	r->fd = -1;
	r->fd_sized = false;
	r->fd_size = 0;
}

rsp_response *rsp_response_new(rsp_request *req, rsp_sink sink)
{
	struct rsp__response *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	rsp__arena_init(&r->arena);
	rsp__headers_init(&r->headers, &r->arena, &r->pub);
	rsp__writer_init(&r->writer, &r->pub, sink);
	rsp__encoding_init(&r->enc);
	r->pub.headers = &r->headers;
	r->pub.writer = &r->writer;
	set_defaults(r);
	take_request(r, req);
	return &r->pub;
}

static void drop_file(struct rsp__response *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* Forget the parts; each callback's free_fn runs here, exactly once. */
static void drop_parts(struct rsp__response *r)
{
	size_t n = r->nparts;
	r->nparts = 0;
	for (size_t i = 0; i < n; i++)
		if (r->parts[i].free_fn != NULL)
			r->parts[i].free_fn(r->parts[i].arg);
}

void rsp__response_reset(rsp_response *res, rsp_request *req, rsp_sink sink)
{
	struct rsp__response *r = rsp__res(res);
	drop_file(r);
	drop_parts(r);
	rsp__arena_reset(&r->arena);
	rsp__headers_clear(&r->headers);
	rsp__writer_reset(&r->writer, sink);
	if (!r->enc.utf8)
		rsp__encoding_free(&r->enc);
	set_defaults(r);
	r->on_finish = NULL;
	r->finish_ctx = NULL;
	take_request(r, req);
}

void rsp_response_free(rsp_response *res)
{
	if (res == NULL)
		return;
	struct rsp__response *r = rsp__res(res);
	drop_file(r);
	drop_parts(r);
	rsp__headers_free(&r->headers);
	rsp__writer_free(&r->writer);
	rsp__encoding_free(&r->enc);
	free(r->parts);
	rsp__arena_free(&r->arena);
	free(r);
}

void rsp__response_set_log(rsp_response *res, rsp__log_fn fn, void *ctx)
{
	rsp__res(res)->log = fn;
	rsp__res(res)->log_ctx = ctx;
}

void rsp__response_set_finish(rsp_response *res, rsp__finish_fn fn, void *ctx)
{
	rsp__res(res)->on_finish = fn;
	rsp__res(res)->finish_ctx = ctx;
}

int rsp__refusef(struct rsp__response *r, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): clang-tidy 14 bug, LLVM #40656 */
	vsnprintf(r->why_buf, sizeof(r->why_buf), fmt, ap);
	va_end(ap);
	r->why = r->why_buf;
	return rc;
}

const char *rsp_response_errmsg(const rsp_response *res)
{
	if (res == NULL)
		return "no response (NULL)";
	const struct rsp__response *r = rsp__cres(res);
	return r->why != NULL ? r->why : "";
}

void rsp__log(struct rsp__response *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): clang-tidy 14 bug, LLVM #40656 */
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	if (r->log != NULL)
		r->log(r->log_ctx, msg, len);
	else
		fwrite(msg, 1, len, stderr);
}

/* ---- flavour, status, encoding ------------------------------------------- */

int rsp_set_flavour(rsp_response *res, enum rsp_flavour f)
{
	if (res == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	if (f != RSP_CGI && f != RSP_NPH && f != RSP_H2)
		return rsp__refuse(r, RSP_EINVAL, "flavour is not RSP_CGI, RSP_NPH "
		    "or RSP_H2");
	if (r->writer.used)
		return rsp__refuse(r, RSP_ESTATE, "the flavour cannot change after "
		    "output began");
	/* A header queued under the old flavour must still hold under the new. */
	for (size_t i = 0; i < r->headers.n; i++) {
		const struct rsp__header *h = &r->headers.v[i];
		const char *why;
		if (rsp__header_check(f, h->name, h->name_len, h->value,
		    h->value_len, &why) != RSP_OK)
			return rsp__refuse(r, RSP_EINVAL, why);
	}
	r->flavour = f;
	r->headers.flavour = f;
	return RSP_OK;
}

enum rsp_flavour rsp_flavour(const rsp_response *res)
{
	return res ? rsp__cres(res)->flavour : RSP_CGI;
}

int rsp_set_status(rsp_response *res, int code, const char *message)
{
	if (res == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	if (code < 200 || code > 999)
		return rsp__refuse(r, RSP_EINVAL, "status code outside 200..999");
	const char *copy = NULL;
	if (message != NULL) {
		size_t n = strlen(message);
		if (!rsp__is_field_value(message, n))
			return rsp__refuse(r, RSP_EINVAL, "reason phrase holds a "
			    "control byte");
		if ((copy = rsp__arena_strndup(&r->arena, message, n)) == NULL)
			return rsp__refuse(r, RSP_ENOMEM, "out of memory");
	}
	r->status = code;
	r->status_msg = copy;
	return RSP_OK;
}

int rsp_status(const rsp_response *res, const char **message)
{
	if (res == NULL)
		return RSP_EINVAL;
	const struct rsp__response *r = rsp__cres(res);
	int code = r->writer.status_written ? r->writer.status_code : r->status;
	if (message != NULL) {
		if (r->writer.status_written)
			*message = r->writer.status_msg;
		else
			*message = r->status_msg ? r->status_msg : rsp_status_reason(code);
	}
	return code;
}

int rsp_set_encoding(rsp_response *res, const char *charset)
{
	if (res == NULL)
		return RSP_EINVAL;
	int rc = rsp__encoding_set(&rsp__res(res)->enc, charset);
	if (rc != RSP_OK)
		rsp__refuse(rsp__res(res), rc, rc == RSP_ECHARSET ? "iconv does not "
		    "know this encoding" : "out of memory or NULL charset");
	return rc;
}

const char *rsp_encoding(const rsp_response *res)
{
	return res ? rsp__cres(res)->enc.name : NULL;
}

/* ---- content ----------------------------------------------------------- */

int64_t rsp__content_length(const struct rsp__response *r)
{
	if (r->kind == RSP__C_STRING)
		return (int64_t)r->content_len;
	if (r->kind == RSP__C_FILE && r->fd_sized)
		return (int64_t)r->fd_size;
	return -1;
}

void rsp__content_clear(struct rsp__response *r)
{
	drop_file(r);
	r->kind = RSP__C_PARTS;
	r->content = NULL;
	r->content_len = 0;
	drop_parts(r);
}

int rsp_set_content(rsp_response *res, const void *data, ssize_t len)
{
	if (res == NULL || (data == NULL && len != 0))
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	size_t n = rsp__len(data, len);
	void *copy = rsp__arena_memdup(&r->arena, data, n);
	if (copy == NULL)
		return RSP_ENOMEM;
	drop_file(r);
	r->kind = RSP__C_STRING;
	r->content = copy;
	r->content_len = n;
	drop_parts(r);
	return RSP_OK;
}

static int push_part(struct rsp__response *r, struct rsp__part p)
{
	if (r->kind == RSP__C_FILE)
		return rsp__refuse(r, RSP_ESTATE, "the content is a file: parts "
		    "cannot be added to it");
	size_t need = r->nparts + 1 + (r->kind == RSP__C_STRING);
	if (need > r->cap_parts) {
		size_t cap = r->cap_parts ? r->cap_parts * 2 : 8;
		while (cap < need)
			cap *= 2;
		struct rsp__part *v = realloc(r->parts, cap * sizeof(*v));
		if (v == NULL)
			return rsp__refuse(r, RSP_ENOMEM, "out of memory");
		r->parts = v;
		r->cap_parts = cap;
	}
	if (r->kind == RSP__C_STRING) {
		struct rsp__part first = { .data = r->content, .len = r->content_len };
		r->parts[0] = first;
		r->nparts = 1;
		r->kind = RSP__C_PARTS;
		r->content = NULL;
		r->content_len = 0;
	}
	r->parts[r->nparts++] = p;
	return RSP_OK;
}

int rsp_add_content(rsp_response *res, const void *data, ssize_t len)
{
	if (res == NULL || (data == NULL && len != 0))
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	if (r->kind == RSP__C_FILE)
		return rsp__refuse(r, RSP_ESTATE, "the content is a file: parts "
		    "cannot be added to it");
	size_t n = rsp__len(data, len);
	void *copy = rsp__arena_memdup(&r->arena, data, n);
	if (copy == NULL)
		return RSP_ENOMEM;
	struct rsp__part p = { .data = copy, .len = n };
	return push_part(r, p);
}

int rsp_add_content_fn(rsp_response *res, rsp_part_fn fn, void *arg,
    void (*free_fn)(void *arg))
{
	int rc;
	if (res == NULL) {
		rc = RSP_EINVAL;
	} else if (fn == NULL) {
		rc = rsp__refuse(rsp__res(res), RSP_EINVAL, "NULL part callback");
	} else {
		struct rsp__part p = { .fn = fn, .arg = arg, .free_fn = free_fn };
		if ((rc = push_part(rsp__res(res), p)) == RSP_OK)
			return RSP_OK;
	}
	/* Refused: arg is released now, as it would have been later. */
	if (free_fn != NULL)
		free_fn(arg);
	return rc;
}

int rsp_set_content_file(rsp_response *res, int fd)
{
	struct stat sb;
	/* The descriptor is the response's from here, refused or not. */
	if (res == NULL || fd < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		return res == NULL ? RSP_EINVAL : rsp__refuse(rsp__res(res),
		    RSP_EINVAL, fd < 0 ? "negative descriptor" :
		    "fstat failed on the descriptor (it was closed)");
	}
	struct rsp__response *r = rsp__res(res);
	if (fd == r->fd)
		return RSP_OK;
	drop_file(r);
	r->kind = RSP__C_FILE;
	r->fd = fd;
	drop_parts(r);
	r->content = NULL;
	r->content_len = 0;
	r->fd_sized = S_ISREG(sb.st_mode);
	if (r->fd_sized) {
		off_t at = lseek(fd, 0, SEEK_CUR);
		if (at < 0)
			at = 0;
		r->fd_size = sb.st_size > at ? (uint64_t)(sb.st_size - at) : 0;
	}
	return RSP_OK;
}

/* A part callback's failure: its own rsp_err code, or RSP_ECALLBACK. */
static int part_error(int rc)
{
	return rc < 0 && rc >= RSP_ECALLBACK ? rc : RSP_ECALLBACK;
}

static int call_part(const struct rsp__part *p, const void **data, size_t *len)
{
	if (p->fn == NULL) {
		*data = p->data;
		*len = p->len;
		return RSP_OK;
	}
	*data = NULL;
	*len = 0;
	int rc = p->fn(p->arg, data, len);
	if (rc != 0)
		return part_error(rc);
	if (*len > 0 && *data == NULL)
		return RSP_ECALLBACK;
	return RSP_OK;
}

int rsp_iter_content(rsp_response *res, bool read_file,
    int (*each)(void *arg, const void *data, size_t len), void *arg)
{
	if (res == NULL || each == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	switch (r->kind) {
	case RSP__C_STRING:
		return r->content_len ? each(arg, r->content, r->content_len) : RSP_OK;
	case RSP__C_FILE: {
		if (r->fd < 0)
			return RSP_OK;          /* already read */
		/* A regular file is read from where the content starts and
		 * put back there, so rsp_write still sends all of it; any
		 * other descriptor can be read once, and the content is
		 * then empty. */
		off_t at = r->fd_sized ? lseek(r->fd, 0, SEEK_CUR) : -1;
		int rc = rsp__read_fd_chunks(&r->writer, r->fd,
		    r->fd_sized ? (int64_t)r->fd_size : -1, read_file, each, arg);
		if (at < 0 || lseek(r->fd, at, SEEK_SET) != at) {
			drop_file(r);
			r->fd_sized = false;
		}
		return rc;
	}
	case RSP__C_PARTS:
		for (size_t i = 0; i < r->nparts; i++) {
			const void *data;
			size_t len;
			int rc = call_part(&r->parts[i], &data, &len);
			if (rc == RSP_OK && len > 0)
				rc = each(arg, data, len);
			if (rc != RSP_OK)
				return rc;
		}
		return RSP_OK;
	}
	return RSP_EINVAL;
}

/* ---- writing ----------------------------------------------------------- */

int rsp_write_status_headers(rsp_response *res)
{
	if (res == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	/* Judged before the status goes out: nothing half-written. */
	if (r->writer.status_written || r->writer.used)
		return rsp_writer_write_status(&r->writer, r->status, r->status_msg);
	for (size_t i = 0; (r->status == 204 || r->status == 205) &&
	    i < r->headers.n; i++) {
		const struct rsp__header *h = &r->headers.v[i];
		int cl = RSP__IS(h->name, h->name_len, "Content-Length") ?
		    rsp__cl_allowed(r, r->status, h->value, h->value_len) : RSP_OK;
		if (cl != RSP_OK)
			return cl;
	}
	int rc = rsp_writer_write_status(&r->writer, r->status, r->status_msg);
	/* Headers were judged when they were queued (and on a flavour change). */
	for (size_t i = 0; rc == RSP_OK && i < r->headers.n; i++) {
		const struct rsp__header *h = &r->headers.v[i];
		rc = rsp__writer_header(&r->writer, h->name, h->name_len,
		    h->value, h->value_len, true);
	}
	if (rc == RSP_OK)
		rc = rsp_writer_end_headers(&r->writer);
	return rc;
}

static int each_content(void *arg, const void *data, size_t len)
{
	return rsp_writer_write_content(arg, data, (ssize_t)len);
}

int rsp_write_content(rsp_response *res)
{
	if (res == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	rsp_writer *w = &r->writer;
	int code = w->status_written ? w->status_code : r->status;

	if (w->finished)
		return RSP_ESTATE;
	if ((r->is_head && !res->send_body_for_head_request) ||
	    rsp__body_forbidden(code))
		return RSP_OK;
	switch (r->kind) {
	case RSP__C_STRING:
		return rsp_writer_write_content(w, r->content, (ssize_t)r->content_len);
	case RSP__C_FILE: {
		if (r->fd < 0)
			return RSP_OK;
		int fd = r->fd;
		r->fd = -1;
		return rsp__writer_stream_fd(w, fd, r->fd_sized ? (int64_t)r->fd_size : -1);
	}
	case RSP__C_PARTS:
		return rsp_iter_content(res, false, each_content, w);
	}
	return RSP_EINVAL;
}

int rsp_write(rsp_response *res)
{
	int rc = rsp_write_status_headers(res);
	return rc == RSP_OK ? rsp_write_content(res) : rc;
}

/* ---- the JSON error ------------------------------------------------------ */

static int set_error(rsp_response *res, int code, const char *message, bool log)
{
	if (res == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	if (code < 200 || code > 999)
		return rsp__refuse(r, RSP_EINVAL, "status code outside 200..999");
	struct rsp_buffer *b = &r->writer.scratch;
	struct rsp__jsonw j;
	char len[24];
	const char *msg = message ? message : "";
	size_t mlen = strlen(msg);

	/* json.dumps({"error": {"code": code, "message": message}}) */
	b->len = 0;
	rsp__jsonw_init(&j, b);
	rsp_jsonw *jw = (rsp_jsonw *)&j;
	int n, rc = rsp_jsonw_object_begin(jw);
	if (rc == RSP_OK && (rc = rsp_jsonw_key(jw, "error", 5)) == RSP_OK &&
	    (rc = rsp_jsonw_object_begin(jw)) == RSP_OK &&
	    (rc = rsp_jsonw_key(jw, "code", 4)) == RSP_OK &&
	    (rc = rsp_jsonw_int(jw, code)) == RSP_OK &&
	    (rc = rsp_jsonw_key(jw, "message", 7)) == RSP_OK &&
	    (rc = rsp_jsonw_string(jw, msg, (ssize_t)mlen)) == RSP_OK &&
	    (rc = rsp_jsonw_object_end(jw)) == RSP_OK)
		rc = rsp_jsonw_object_end(jw);
	if (rc != RSP_OK)
		return rsp__refuse(r, rc, "out of memory");
	char *body = rsp__arena_memdup(&r->arena, b->data, b->len);
	if (body == NULL)
		return rsp__refuse(r, RSP_ENOMEM, "out of memory");
	n = snprintf(len, sizeof(len), "%zu", b->len);

	rsp__headers_clear(&r->headers);
	if ((rc = rsp__headers_add(&r->headers, "Content-Type", 12,
	    "application/json", 16, false)) != RSP_OK ||
	    (rc = rsp__headers_add(&r->headers, "Content-Length", 14, len,
	    (size_t)n, false)) != RSP_OK)
		return rc;
	drop_file(r);
	r->kind = RSP__C_STRING;
	r->content = body;
	r->content_len = b->len;
	drop_parts(r);
	r->status = code;
	r->status_msg = NULL;
	b->len = 0;
	if (log && code >= 500 && code < 600) {
		/* The message may carry request data: escaped, one line. */
		char esc[512];
		rsp__escape_log(esc, sizeof(esc), msg, mlen);
		rsp__log(r, "respond: %d %s\n", code, esc);
	}
	return RSP_OK;
}

int rsp_set_error(rsp_response *res, int code, const char *message)
{
	return set_error(res, code, message, true);
}

int rsp__set_error_quiet(rsp_response *res, int code, const char *message)
{
	return set_error(res, code, message, false);
}
