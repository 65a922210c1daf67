/*
 * response.c - the Response: status, content (a string, parts and part
 * callbacks, or a file), encoding, flavour, and rsp_write and rsp_finish,
 * which serialise all of it through the writer.  A response's memory lives
 * in its arena and goes in one place, rsp_response_free or the reset between
 * FastCGI requests.
 */
#include "internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- construction ------------------------------------------------------ */

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
	r->out.flavour = RSP_CGI;
	r->out.protocol = "HTTP/1.1";
	if (starts_with(proto, "HTTP/")) {
		if (proto[5] == '2' || proto[5] == '3')
			r->out.flavour = RSP_H2;
		else if (equals(proto + 5, "1.0"))
			r->out.protocol = "HTTP/1.0";
	}
	if (r->out.flavour == RSP_CGI) {
		const char *script = rsp__request_var(req, RSP__V_SCRIPT);
		if (script == NULL || *script == '\0')
			script = rsp__request_var(req, RSP__V_SCRIPT_FILE);
		if (rsp__nph_name(script))
			r->out.flavour = RSP_NPH;
	}
	r->headers.flavour = r->out.flavour;
	r->out.is_head =
	    method != NULL && method[0] == 'H' && equals(method, "HEAD");
}

/* The content's length when it is known (DESIGN.md 5), else -1. */
static int64_t known_length(const struct rsp__response *r)
{
	if (r->kind == RSP__C_STRING)
		return (int64_t)r->content_len;
	if (r->kind == RSP__C_FILE && r->fd_sized)
		return (int64_t)r->fd_size;
	return -1;
}

/* Every change of the content ends here: the writer infers Content-Length
 * from what it is told. */
static void content_changed(struct rsp__response *r)
{
	r->out.content_length = known_length(r);
}

static void set_defaults(struct rsp__response *r)
{
	r->pub.add_required_headers = true;
	r->pub.send_body_for_head_request = false;
	r->pub.close_connection = false;
	r->status = RSP__DEFAULT_STATUS;
	r->status_msg = NULL;
	r->kind = RSP__C_PARTS;
	r->content = NULL;
	r->content_len = 0;
	r->nparts = 0;
	r->fd = -1;
	r->fd_sized = false;
	r->fd_size = 0;
	content_changed(r);
}

/* What the writer reads of the response, all in place. */
static void wire_writer(struct rsp__response *r)
{
	r->out.add_required_headers = &r->pub.add_required_headers;
	r->out.send_body_for_head = &r->pub.send_body_for_head_request;
	r->out.close_connection = &r->pub.close_connection;
	r->out.arena = &r->arena;
	r->out.enc = &r->enc;
	r->out.why = &r->why;
}

/* The writer's layout is writer.c's: it lives in the same allocation, just
 * past the response, so a response is still one calloc. */
#define WRITER_AT                                                     \
	((sizeof(struct rsp__response) + _Alignof(max_align_t) - 1) & \
	    ~(_Alignof(max_align_t) - 1))

rsp_response *rsp_response_new(rsp_request *req, rsp_sink sink)
{
	struct rsp__response *r = calloc(1, WRITER_AT + rsp__writer_size());
	if (r == NULL)
		return NULL;
	rsp__arena_init(&r->arena);
	rsp__headers_init(&r->headers, &r->arena, &r->why);
	rsp__encoding_init(&r->enc);
	wire_writer(r);
	r->pub.headers = &r->headers;
	r->pub.writer = (rsp_writer *)((char *)r + WRITER_AT);
	rsp__writer_init(r->pub.writer, &r->out, sink);
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
	rsp__writer_reset(r->pub.writer, sink);
	if (!r->enc.utf8)
		rsp__encoding_free(&r->enc);
	set_defaults(r);
	r->out.on_finish = NULL;
	r->out.finish_ctx = NULL;
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
	rsp__writer_free(r->pub.writer);
	rsp__encoding_free(&r->enc);
	free(r->parts);
	rsp__arena_free(&r->arena);
	free(r);
}

void rsp__response_set_log(rsp_response *res, rsp__log_fn fn, void *ctx)
{
	rsp__res(res)->out.log.fn = fn;
	rsp__res(res)->out.log.ctx = ctx;
}

void rsp__response_set_finish(rsp_response *res, rsp__finish_fn fn, void *ctx)
{
	rsp__res(res)->out.on_finish = fn;
	rsp__res(res)->out.finish_ctx = ctx;
}

const char *rsp_response_errmsg(const rsp_response *res)
{
	if (res == NULL)
		return "no response (NULL)";
	const struct rsp__response *r = rsp__cres(res);
	return r->why.text != NULL ? r->why.text : "";
}

void rsp__log(struct rsp__response *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): clang-tidy 14 bug, LLVM #40656 */
	rsp__vlogf(&r->out.log, fmt, ap);
	va_end(ap);
}

/* ---- flavour, status, encoding ------------------------------------------- */

int rsp_set_flavour(rsp_response *res, enum rsp_flavour f)
{
	if (res == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	if (f != RSP_CGI && f != RSP_NPH && f != RSP_H2)
		return rsp__refuse(r, RSP_EINVAL,
		    "flavour is not RSP_CGI, RSP_NPH "
		    "or RSP_H2");
	if (rsp__writer_used(r->pub.writer))
		return rsp__refuse(r, RSP_ESTATE,
		    "the flavour cannot change after "
		    "output began");
	/* A header queued under the old flavour must still hold under the new. */
	for (size_t i = 0; i < r->headers.n; i++) {
		const struct rsp__header *h = &r->headers.v[i];
		const char *why;
		if (rsp__header_check(f, h->name, h->name_len, h->value,
		        h->value_len, &why) != RSP_OK)
			return rsp__refuse(r, RSP_EINVAL, why);
	}
	r->out.flavour = f;
	r->headers.flavour = f;
	return RSP_OK;
}

enum rsp_flavour rsp_flavour(const rsp_response *res)
{
	return res ? rsp__cres(res)->out.flavour : RSP_CGI;
}

int rsp_set_status(rsp_response *res, int code, const char *message)
{
	if (res == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	if (!rsp__status_settable(code))
		return rsp__refuse(r, RSP_EINVAL, RSP__STATUS_RANGE_WHY);
	const char *copy = NULL;
	if (message != NULL) {
		size_t n = strlen(message);
		if (!rsp__is_field_value(message, n))
			return rsp__refuse(r, RSP_EINVAL,
			    "reason phrase holds a "
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
	const char *written;
	int code = rsp__writer_status(r->pub.writer, &written);
	if (code != 0) {
		if (message != NULL)
			*message = written;
		return code;
	}
	if (message != NULL)
		*message = r->status_msg ? r->status_msg
		                         : rsp_status_reason(r->status);
	return r->status;
}

int rsp_set_encoding(rsp_response *res, const char *charset)
{
	if (res == NULL)
		return RSP_EINVAL;
	int rc = rsp__encoding_set(&rsp__res(res)->enc, charset);
	if (rc != RSP_OK)
		rsp__refuse(rsp__res(res), rc,
		    rc == RSP_ECHARSET ? "iconv does not "
		                         "know this encoding"
		                       : "out of memory or NULL charset");
	return rc;
}

const char *rsp_encoding(const rsp_response *res)
{
	return res ? rsp__cres(res)->enc.name : NULL;
}

/* ---- content ----------------------------------------------------------- */

/* Let go of the old content (its descriptor, its parts' callbacks) and
 * take a new kind; the caller calls content_changed once the rest is set. */
static void content_replace(struct rsp__response *r,
    enum rsp__content_kind kind, const void *data, size_t len)
{
	drop_file(r);
	r->kind = kind;
	r->content = data;
	r->content_len = len;
	drop_parts(r);
}

void rsp__content_clear(struct rsp__response *r)
{
	content_replace(r, RSP__C_PARTS, NULL, 0);
	content_changed(r);
}

void rsp__content_take(struct rsp__response *r, const void *data, size_t len)
{
	content_replace(r, RSP__C_STRING, data, len);
	content_changed(r);
}

void rsp__content_narrow(struct rsp__response *r, uint64_t first, uint64_t len)
{
	if (r->kind == RSP__C_STRING) {
		r->content = (const char *)r->content + first;
		r->content_len = (size_t)len;
	} else {
		r->fd_size = len;
	}
	content_changed(r);
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
	rsp__content_take(r, copy, n);
	return RSP_OK;
}

static int push_part(struct rsp__response *r, struct rsp__part p)
{
	if (r->kind == RSP__C_FILE)
		return rsp__refuse(r, RSP_ESTATE,
		    "the content is a file: parts "
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
		struct rsp__part first = { .data = r->content,
			.len = r->content_len };
		r->parts[0] = first;
		r->nparts = 1;
		r->kind = RSP__C_PARTS;
		r->content = NULL;
		r->content_len = 0;
		content_changed(r);
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
		return rsp__refuse(r, RSP_ESTATE,
		    "the content is a file: parts "
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
		rc = rsp__refuse(rsp__res(res), RSP_EINVAL,
		    "NULL part callback");
	} else {
		struct rsp__part p = {
			.fn = fn, .arg = arg, .free_fn = free_fn
		};
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
		return res == NULL
		    ? RSP_EINVAL
		    : rsp__refuse(rsp__res(res), RSP_EINVAL,
		          fd < 0
		              ? "negative descriptor"
		              : "fstat failed on the descriptor (it was closed)");
	}
	struct rsp__response *r = rsp__res(res);
	if (fd == r->fd)
		return RSP_OK;
	content_replace(r, RSP__C_FILE, NULL, 0);
	r->fd = fd;
	r->fd_sized = S_ISREG(sb.st_mode);
	if (r->fd_sized) {
		off_t at = lseek(fd, 0, SEEK_CUR);
		if (at < 0)
			at = 0;
		r->fd_size = sb.st_size > at ? (uint64_t)(sb.st_size - at) : 0;
	}
	content_changed(r);
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
		return r->content_len ? each(arg, r->content, r->content_len)
		                      : RSP_OK;
	case RSP__C_FILE: {
		if (r->fd < 0)
			return RSP_OK; /* already read */
		/* A regular file is read from where the content starts and
		 * put back there, so rsp_write still sends all of it; any
		 * other descriptor can be read once, and the content is
		 * then empty. */
		off_t at = r->fd_sized ? lseek(r->fd, 0, SEEK_CUR) : -1;
		int rc = rsp__read_fd_chunks(r->pub.writer, r->fd,
		    r->fd_sized ? (int64_t)r->fd_size : -1, read_file, each,
		    arg);
		if (at < 0 || lseek(r->fd, at, SEEK_SET) != at) {
			drop_file(r);
			r->fd_sized = false;
			content_changed(r);
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
	rsp_writer *w = res->writer;
	/* Judged before the status goes out: nothing half-written.  (A
	 * written status counts as use.) */
	if (rsp__writer_used(w))
		return rsp_writer_write_status(w, r->status, r->status_msg);
	for (size_t i = 0;
	     (r->status == 204 || r->status == 205) && i < r->headers.n; i++) {
		const struct rsp__header *h = &r->headers.v[i];
		int cl = RSP__IS(h->name, h->name_len, "Content-Length")
		    ? rsp__cl_allowed(&r->why, r->status, h->value,
		          h->value_len)
		    : RSP_OK;
		if (cl != RSP_OK)
			return cl;
	}
	int rc = rsp_writer_write_status(w, r->status, r->status_msg);
	/* Headers were judged when they were queued (and on a flavour change). */
	for (size_t i = 0; rc == RSP_OK && i < r->headers.n; i++) {
		const struct rsp__header *h = &r->headers.v[i];
		rc = rsp__writer_header(w, h->name, h->name_len, h->value,
		    h->value_len, true);
	}
	if (rc == RSP_OK)
		rc = rsp_writer_end_headers(w);
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
	rsp_writer *w = res->writer;
	int code = rsp__writer_status(w, NULL);

	if (code == 0)
		code = r->status;
	if (rsp__writer_finished(w))
		return RSP_ESTATE;
	if (rsp__writer_drops_body(w) || rsp__body_forbidden(code))
		return RSP_OK;
	switch (r->kind) {
	case RSP__C_STRING:
		return rsp_writer_write_content(w, r->content,
		    (ssize_t)r->content_len);
	case RSP__C_FILE: {
		if (r->fd < 0)
			return RSP_OK;
		int fd = r->fd;
		r->fd = -1;
		return rsp__writer_stream_fd(w, fd,
		    r->fd_sized ? (int64_t)r->fd_size : -1);
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

int rsp_finish(rsp_response *res)
{
	if (res == NULL)
		return RSP_EINVAL;
	rsp_writer *w = res->writer;
	if (rsp__writer_finished(w))
		return rsp__refuse(rsp__res(res), RSP_ESTATE,
		    "the response was "
		    "already finished");
	if (rsp__writer_used(w))
		return rsp__writer_finish(w, RSP_OK, true);
	int rc = rsp_write(res);
	/* Refused whole, nothing written: not finished either, so that the
	 * caller (the runner: a 500) can still answer. */
	if (rc == RSP_EINVAL && !rsp__writer_used(w))
		return rc;
	return rsp__writer_finish(w, rc, false);
}
