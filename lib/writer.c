/*
 * writer.c - ResponseWriter: the state machine that turns status, header and
 * body calls into bytes for a sink, in the CGI, NPH or H2 flavour.  A header
 * block is held in one buffer until it is complete, so it reaches the sink
 * in one write together with the first body bytes; refused calls write
 * nothing.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct rsp_writer {
	const struct rsp__wcfg *cfg; /* the response's side, read-only */
	rsp_sink sink;
	struct rsp_buffer out;     /* pending bytes; kept across requests */
	struct rsp_buffer scratch; /* encoded text, kept across requests */
	struct rsp_buffer chunk;   /* file chunks, kept across requests */
	int err;                   /* sticky sink failure */
	int status_code;           /* written status, 0 if none */
	const char *status_msg;    /* reason phrase written */
	bool used;                 /* anything at all went through the writer */
	bool status_written, headers_started, headers_complete;
	bool raw;            /* write_raw took over: no status or header
				call may follow (DESIGN.md 6) */
	unsigned char nheld; /* raw bytes held: they may yet begin an
				HTTP status line (CGI and H2 only) */
	char held[12];
	bool finished;
	bool seen_server, seen_date, seen_connection;
	bool seen_ctype, seen_location; /* fields with one value */
	bool cl_seen;                   /* a Content-Length went out */
	uint64_t cl;                    /* its value */
	uint64_t body_sent;             /* counted body bytes */
	int64_t first_chunk;            /* write_content's first chunk, or -1 */
	uint64_t wire_sent; /* bytes the sink took (the access log) */
	uint64_t head_len;  /* bytes up to the end of the header block */
};

size_t rsp__writer_size(void)
{
	return sizeof(struct rsp_writer);
}

void rsp__writer_init(rsp_writer *w, const struct rsp__wcfg *cfg, rsp_sink sink)
{
	memset(w, 0, sizeof(*w));
	w->cfg = cfg;
	w->sink = sink;
	w->first_chunk = -1;
}

void rsp__writer_reset(rsp_writer *w, rsp_sink sink)
{
	struct rsp_buffer out = w->out, scratch = w->scratch, chunk = w->chunk;
	rsp__writer_init(w, w->cfg, sink);
	w->out = out;
	w->scratch = scratch;
	w->chunk = chunk;
	w->out.len = w->scratch.len = w->chunk.len = 0;
}

void rsp__writer_free(rsp_writer *w)
{
	rsp_buffer_free(&w->out);
	rsp_buffer_free(&w->scratch);
	rsp_buffer_free(&w->chunk);
}

bool rsp__body_forbidden(int code)
{
	return (code >= 100 && code < 200) || code == 204 || code == 205 ||
	    code == 304;
}

/* Refusals record their reason on the response (rsp_response_errmsg). */
static int refuse(rsp_writer *w, int rc, const char *why)
{
	return rsp__why_set(w->cfg->why, rc, why);
}

int rsp__cl_allowed(struct rsp__why *why, int code, const char *v, size_t vlen)
{
	if ((code < 200 || code == 204) && vlen > 0)
		return rsp__why_setf(why, RSP_EINVAL,
		    "Content-Length %.*s on a %d "
		    "response",
		    (int)(vlen < 24 ? vlen : 24), v, code);
	if (code == 205 && !(vlen == 1 && v[0] == '0'))
		return rsp__why_setf(why, RSP_EINVAL,
		    "Content-Length %.*s on a 205 "
		    "response (only 0 is allowed)",
		    (int)(vlen < 24 ? vlen : 24), v);
	return RSP_OK;
}

/* The status the head has, or will have when it goes out without one. */
static int head_status(const rsp_writer *w)
{
	return w->status_written ? w->status_code : RSP__DEFAULT_STATUS;
}

/* A HEAD answer keeps its headers and loses its body (RFC 9110 9.3.2). */
static bool body_dropped(const rsp_writer *w)
{
	return w->cfg->is_head && !*w->cfg->send_body_for_head;
}

/* ---- what the layers above may know ------------------------------------ */

bool rsp__writer_used(const rsp_writer *w)
{
	return w->used;
}

bool rsp__writer_finished(const rsp_writer *w)
{
	return w->finished;
}

bool rsp__writer_in_body(const rsp_writer *w)
{
	return w->headers_complete && !w->finished;
}

int rsp__writer_error(const rsp_writer *w)
{
	return w->err;
}

int rsp__writer_status(const rsp_writer *w, const char **msg)
{
	if (msg != NULL)
		*msg = w->status_msg;
	return w->status_code;
}

bool rsp__writer_drops_body(const rsp_writer *w)
{
	return body_dropped(w);
}

void rsp__writer_sent(const rsp_writer *w, uint64_t *head, uint64_t *total)
{
	*head = w->head_len;
	*total = w->wire_sent;
}

struct rsp_buffer *rsp__writer_scratch(rsp_writer *w)
{
	return &w->scratch;
}

/* ---- getting bytes to the sink ---------------------------------------- */

static int fail(rsp_writer *w, int rc)
{
	if (rc == RSP_EIO) {
		w->err = RSP_EIO;
		rsp__why_set(w->cfg->why, rc,
		    "output failed: the client went away "
		    "or the sink refused the bytes");
	}
	return rc;
}

static int send_pending(rsp_writer *w)
{
	if (w->out.len == 0)
		return RSP_OK;
	int rc = rsp__sink_write(&w->sink, w->out.data, w->out.len);
	w->wire_sent += rc == RSP_OK ? w->out.len : 0;
	w->out.len = 0;
	return rc == RSP_OK ? RSP_OK : fail(w, rc);
}

/*
 * Queue bytes.  While a header block is open it stays whole in the buffer;
 * otherwise a write that does not fit tops the buffer up (so the block and
 * the first body bytes leave together) and sends large data straight on.
 */
static int emit(rsp_writer *w, const void *data, size_t len)
{
	const char *p = data;
	int rc;

	if (w->err)
		return w->err;
	if (w->out.cap < RSP__WBUF_SIZE &&
	    rsp__buf_reserve(&w->out, RSP__WBUF_SIZE - w->out.len) != RSP_OK)
		return RSP_ENOMEM;
	if (len <= w->out.cap - w->out.len ||
	    (w->status_written && !w->headers_complete))
		return rsp__buf_append(&w->out, p, len);
	if (w->out.len > 0) {
		size_t fill = w->out.cap - w->out.len;
		memcpy(w->out.data + w->out.len, p, fill);
		w->out.len += fill;
		p += fill;
		len -= fill;
		if ((rc = send_pending(w)) != RSP_OK)
			return rc;
	}
	if (len >= w->out.cap) {
		rc = rsp__sink_write(&w->sink, p, len);
		w->wire_sent += rc == RSP_OK ? len : 0;
		return rc == RSP_OK ? RSP_OK : fail(w, rc);
	}
	memcpy(w->out.data, p, len);
	w->out.len = len;
	return RSP_OK;
}

/* ---- status and headers ------------------------------------------------ */

static int guard(rsp_writer *w)
{
	if (w == NULL)
		return RSP_EINVAL;
	if (w->finished)
		return refuse(w, RSP_ESTATE,
		    "the response was already finished");
	if (w->err)
		return refuse(w, w->err,
		    "an earlier write failed: the output is "
		    "broken");
	return RSP_OK;
}

/* Status and header calls: not after raw bytes took over the output. */
static int head_guard(rsp_writer *w)
{
	int rc = guard(w);
	if (rc == RSP_OK && w->raw)
		rc = refuse(w, RSP_ESTATE,
		    "write_raw already wrote the head of "
		    "the response");
	if (rc == RSP_OK && w->headers_complete)
		rc =
		    refuse(w, RSP_ESTATE, "the header block has already ended");
	return rc;
}

static int status_line(rsp_writer *w, int code, const char *msg)
{
	const struct rsp__wcfg *cfg = w->cfg;
	char line[64];
	int n;

	if (msg == NULL)
		msg = rsp_status_reason(code);
	else if ((msg = rsp__arena_strndup(cfg->arena, msg, strlen(msg))) ==
	    NULL)
		return RSP_ENOMEM;
	/* Hot path: no printf.  The code has three digits (200..999). */
	/* cfg->protocol is "HTTP/1.1" or "HTTP/1.0": eight bytes. */
	size_t ll = cfg->flavour == RSP_NPH ? 8 : 7;
	memcpy(line, cfg->flavour == RSP_NPH ? cfg->protocol : "Status:", ll);
	line[ll] = ' ';
	line[ll + 1] = (char)('0' + code / 100);
	line[ll + 2] = (char)('0' + code / 10 % 10);
	line[ll + 3] = (char)('0' + code % 10);
	line[ll + 4] = ' ';
	n = (int)ll + 5;
	size_t mlen = strlen(msg), need = (size_t)n + mlen + 2;
	if (w->err)
		return w->err;
	/* Room for the line, and the writer's usual buffer for what follows. */
	size_t extra = need;
	if (w->out.cap < RSP__WBUF_SIZE && w->out.len + extra < RSP__WBUF_SIZE)
		extra = RSP__WBUF_SIZE - w->out.len;
	int rc = rsp__buf_reserve(&w->out, extra);
	if (rc != RSP_OK)
		return rc;
	w->status_written = true; /* from here the block is held whole */
	w->used = true;
	w->status_code = code;
	w->status_msg = msg;
	/* The status line opens the header block, which is held whole until
	 * it ends: copy it in at once. */
	char *p = w->out.data + w->out.len;
	memcpy(p, line, (size_t)n);
	memcpy(p + n, msg, mlen + 1); /* its NUL is overwritten next */
	p[n + mlen] = '\r';
	p[n + mlen + 1] = '\n';
	w->out.len += need;
	return RSP_OK;
}

int rsp_writer_write_status(rsp_writer *w, int code, const char *message)
{
	int rc = head_guard(w);
	if (rc != RSP_OK)
		return rc;
	if (!rsp__status_settable(code))
		return refuse(w, RSP_EINVAL, RSP__STATUS_RANGE_WHY);
	if (message != NULL && !rsp__is_field_value(message, strlen(message)))
		return refuse(w, RSP_EINVAL,
		    "reason phrase holds a control byte");
	if (w->status_written)
		return refuse(w, RSP_ESTATE, "a status was already written");
	if (w->headers_started)
		return refuse(w, RSP_ESTATE, "a header was already written");
	return status_line(w, code, message);
}

static void note_header(rsp_writer *w, const char *name, size_t nlen)
{
	if (RSP__IS(name, nlen, "Server"))
		w->seen_server = true;
	else if (RSP__IS(name, nlen, "Date"))
		w->seen_date = true;
	else if (RSP__IS(name, nlen, "Connection"))
		w->seen_connection = true;
	else if (RSP__IS(name, nlen, "Content-Type"))
		w->seen_ctype = true;
	else if (RSP__IS(name, nlen, "Location"))
		w->seen_location = true;
}

int rsp__writer_header(rsp_writer *w, const char *name, size_t nlen,
    const char *value, size_t vlen, bool checked)
{
	int rc = head_guard(w);
	if (rc != RSP_OK)
		return rc;
	const char *why;
	if (!checked &&
	    (rc = rsp__header_check(w->cfg->flavour, name, nlen, value, vlen,
	         &why)) != RSP_OK)
		return refuse(w, rc, why);
	bool is_cl = RSP__IS(name, nlen, "Content-Length");
	if (is_cl && w->cl_seen)
		return refuse(w, RSP_EINVAL, "a second Content-Length");
	if (w->seen_ctype && RSP__IS(name, nlen, "Content-Type"))
		return refuse(w, RSP_EINVAL, "a second Content-Type");
	if (w->seen_location && RSP__IS(name, nlen, "Location"))
		return refuse(w, RSP_EINVAL, "a second Location");
	if (is_cl &&
	    (rc = rsp__cl_allowed(w->cfg->why, head_status(w), value, vlen)) !=
	        RSP_OK)
		return rc;
	if (!w->status_written &&
	    (rc = status_line(w, RSP__DEFAULT_STATUS, NULL)) != RSP_OK)
		return rc;
	if ((rc = rsp__buf_reserve(&w->out, nlen + vlen + 4)) != RSP_OK)
		return rc;
	char *p = w->out.data + w->out.len;
	memcpy(p, name, nlen);
	if (w->cfg->flavour == RSP_H2)
		for (size_t i = 0; i < nlen; i++)
			if (p[i] >= 'A' && p[i] <= 'Z')
				p[i] = (char)(p[i] | 0x20);
	p[nlen] = ':';
	p[nlen + 1] = ' ';
	memcpy(p + nlen + 2, value, vlen);
	p[nlen + 2 + vlen] = '\r';
	p[nlen + 3 + vlen] = '\n';
	w->out.len += nlen + vlen + 4;
	w->headers_started = true;
	if (is_cl) {
		w->cl_seen = true;
		w->cl = (uint64_t)rsp__parse_content_length(value, vlen);
	} else {
		note_header(w, name, nlen);
	}
	return RSP_OK;
}

int rsp_writer_write_header(rsp_writer *w, const char *name, const char *value)
{
	if (name == NULL || value == NULL)
		return RSP_EINVAL;
	return rsp__writer_header(w, name, strlen(name), value, strlen(value),
	    false);
}

/* Decimal digits of v into buf (at least 21 bytes), NUL-terminated. */
static size_t format_u64(char *buf, uint64_t v)
{
	char tmp[20];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

/* The length a Content-Length would announce if the block ended now, or -1. */
static int64_t inferred_length(rsp_writer *w)
{
	int code = head_status(w);
	if (w->cl_seen || !*w->cfg->add_required_headers)
		return -1;
	/* 205: no content, and the server must say so (RFC 9110 15.3.6). */
	if (code == 205)
		return 0;
	if (rsp__body_forbidden(code))
		return -1;
	if (w->first_chunk >= 0)
		return w->first_chunk;
	return w->cfg->content_length;
}

static int end_block(rsp_writer *w)
{
	const struct rsp__wcfg *cfg = w->cfg;
	int64_t len = inferred_length(w);
	char num[24];
	int rc;

	if (!w->status_written &&
	    (rc = status_line(w, RSP__DEFAULT_STATUS, NULL)) != RSP_OK)
		return rc;
	if (*cfg->add_required_headers) {
		if (cfg->flavour == RSP_NPH && !w->seen_server &&
		    (rc = rsp__writer_header(w, "Server", 6,
		         "respond/" RSP_VERSION, strlen("respond/" RSP_VERSION),
		         true)) != RSP_OK)
			return rc;
		if (cfg->flavour == RSP_NPH && !w->seen_date) {
			char date[30];
			if (rsp__imf_fixdate(time(NULL), date) != RSP_OK)
				return RSP_EINVAL;
			if ((rc = rsp__writer_header(w, "Date", 4, date, 29,
			         true)) != RSP_OK)
				return rc;
		}
		if (len >= 0) {
			size_t n = format_u64(num, (uint64_t)len);
			if ((rc = rsp__writer_header(w, "Content-Length", 14,
			         num, n, true)) != RSP_OK)
				return rc;
		}
		if (cfg->flavour == RSP_NPH && !w->cl_seen &&
		    !w->seen_connection &&
		    (rc = rsp__writer_header(w, "Connection", 10, "close", 5,
		         true)) != RSP_OK)
			return rc;
	}
	if ((rc = emit(w, "\r\n", 2)) != RSP_OK)
		return rc;
	if (!w->cl_seen)
		*cfg->close_connection = true;
	w->head_len = w->wire_sent + w->out.len;
	w->headers_complete = true;
	return RSP_OK;
}

int rsp_writer_end_headers(rsp_writer *w)
{
	int rc = head_guard(w);
	if (rc != RSP_OK)
		return rc;
	return end_block(w);
}

/* ---- body ---------------------------------------------------------------- */

/*
 * Everything a body write of `len` bytes must pass before a byte goes out:
 * the state, a status that may carry a body, and room under the
 * Content-Length that is or will be announced.  first >= 0 is the chunk
 * write_content may infer Content-Length from.
 */
static int body_check(rsp_writer *w, uint64_t len, int64_t first)
{
	int rc = guard(w);
	if (rc != RSP_OK)
		return rc;
	int code = head_status(w);
	if (rsp__body_forbidden(code))
		return rsp__why_setf(w->cfg->why, RSP_ESTATE,
		    "a body on a %d response", code);
	if (w->cl_seen) {
		if (len > w->cl - w->body_sent)
			return rsp__why_setf(w->cfg->why, RSP_ESTATE,
			    "%llu body bytes would "
			    "pass Content-Length %llu (%llu sent)",
			    (unsigned long long)len, (unsigned long long)w->cl,
			    (unsigned long long)w->body_sent);
	} else if (!w->headers_complete) {
		w->first_chunk = first;
		int64_t will = inferred_length(w);
		w->first_chunk = -1;
		if (will >= 0 && len > (uint64_t)will)
			return rsp__why_setf(w->cfg->why, RSP_ESTATE,
			    "%llu body bytes would "
			    "pass the inferred Content-Length %lld",
			    (unsigned long long)len, (long long)will);
	}
	return RSP_OK;
}

/* End the block if it is still open; the first chunk may give its length. */
static int body_begin(rsp_writer *w, int64_t first)
{
	if (w->headers_complete)
		return RSP_OK;
	w->first_chunk = first;
	int rc = end_block(w);
	w->first_chunk = -1;
	return rc;
}

static int release_held(rsp_writer *w);

static int body_bytes(rsp_writer *w, const void *data, size_t len)
{
	int rc;
	w->used = true;
	w->body_sent += len;
	if (w->nheld > 0 && (rc = release_held(w)) != RSP_OK)
		return rc;
	if (body_dropped(w))
		return RSP_OK;
	return emit(w, data, len);
}

int rsp_writer_write_content(rsp_writer *w, const void *data, ssize_t len)
{
	if (data == NULL && len != 0)
		return RSP_EINVAL;
	size_t n = rsp__len(data, len);
	int rc = body_check(w, n, (int64_t)n);
	if (rc == RSP_OK)
		rc = body_begin(w, (int64_t)n);
	if (rc == RSP_OK)
		rc = body_bytes(w, data, n);
	return rc;
}

int rsp_writer_encode(rsp_writer *w, const char *text, ssize_t len,
    struct rsp_buffer *out)
{
	if (w == NULL || out == NULL || (text == NULL && len != 0))
		return RSP_EINVAL;
	return rsp__encode(w->cfg->enc, text, rsp__len(text, len), out);
}

int rsp_writer_write(rsp_writer *w, const char *text, ssize_t len)
{
	if (w == NULL || (text == NULL && len != 0))
		return RSP_EINVAL;
	size_t n = rsp__len(text, len);
	const char *bytes = text;
	int rc = guard(w);
	if (rc != RSP_OK)
		return rc;
	if (w->cfg->enc->utf8) {
		if (!rsp__utf8_valid((const unsigned char *)text, n))
			return refuse(w, RSP_ECHARSET,
			    "text is not valid UTF-8");
	} else {
		w->scratch.len = 0;
		if ((rc = rsp__encode(w->cfg->enc, text, n, &w->scratch)) !=
		    RSP_OK)
			return refuse(w, rc,
			    rc == RSP_ECHARSET
			        ? "text cannot be "
			          "represented in the response's encoding"
			        : "out of memory");
		bytes = w->scratch.data;
		n = w->scratch.len;
	}
	if ((rc = body_check(w, n, -1)) == RSP_OK &&
	    (rc = body_begin(w, -1)) == RSP_OK)
		rc = body_bytes(w, bytes, n);
	return rc;
}

/* "HTTP/1.1 " or "HTTP/2 ": the length of an HTTP version and its space. */
static size_t status_line_prefix(const char *p, size_t len)
{
	if (len < 7 || memcmp(p, "HTTP/", 5) != 0 || p[5] < '0' || p[5] > '9')
		return 0;
	size_t i = 6;
	if (p[i] == '.') {
		if (i + 1 >= len || p[i + 1] < '0' || p[i + 1] > '9')
			return 0;
		i += 2;
	}
	return i < len && p[i] == ' ' ? i + 1 : 0;
}

/* Could p[0..len) still grow into the start of a status line? */
static bool status_line_partial(const char *p, size_t len)
{
	static const char shape[] = "HTTP/0.0 ";
	if (len >= sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < len; i++) {
		char k = shape[i], c = p[i];
		if (k == '0'     ? c < '0' || c > '9'
		        : i == 6 ? c != '.' && c != ' '
		                 : c != k)
			return false;
	}
	return true;
}

static int release_held(rsp_writer *w)
{
	size_t n = w->nheld;
	w->nheld = 0;
	return emit(w, w->held, n);
}

/*
 * The first raw bytes in CGI and H2: an HTTP status line becomes
 * "Status:", even when it arrives in pieces; bytes that may still become
 * one are held (at most a few) until the next raw write decides.
 */
static int raw_start(rsp_writer *w, const char *p, size_t n)
{
	char buf[sizeof w->held];
	size_t k = w->nheld, take = n < sizeof(buf) - k ? n : sizeof(buf) - k;
	int rc;

	memcpy(buf, w->held, k);
	memcpy(buf + k, p, take);
	size_t skip = status_line_prefix(buf, k + take);
	w->used = true;
	if (skip == 0 && take == n && status_line_partial(buf, k + n)) {
		memcpy(w->held + k, p, n);
		w->nheld = (unsigned char)(k + n);
		return RSP_OK;
	}
	w->nheld = 0;
	if (skip == 0) {
		if (k > 0 && (rc = emit(w, buf, k)) != RSP_OK)
			return rc;
		return emit(w, p, n);
	}
	if ((rc = emit(w, "Status: ", 8)) != RSP_OK)
		return rc;
	if (skip < k && (rc = emit(w, buf + skip, k - skip)) != RSP_OK)
		return rc;
	size_t from = skip > k ? skip - k : 0;
	return emit(w, p + from, n - from);
}

/*
 * Raw bytes are output the writer does not judge; they end its part of
 * the head: after them, status, header and end_headers calls are refused,
 * body calls append (DESIGN.md 6).
 */
int rsp_writer_write_raw(rsp_writer *w, const void *data, ssize_t len)
{
	int rc = guard(w);
	if (rc != RSP_OK)
		return rc;
	if (data == NULL && len != 0)
		return refuse(w, RSP_EINVAL,
		    "NULL data with a non-zero length");
	const char *p = data;
	size_t n = rsp__len(data, len);
	/* Nothing written is nothing decided: the head stays the library's. */
	if (n == 0 || p == NULL)
		return RSP_OK;
	bool first = !w->used || w->nheld > 0;
	w->raw = true;
	w->headers_complete = true;
	/* A parsing server ignores an HTTP status line; "Status:" it obeys. */
	if (first && w->cfg->flavour != RSP_NPH)
		return raw_start(w, p, n);
	w->used = true;
	return emit(w, p, n);
}

int rsp_writer_flush(rsp_writer *w)
{
	int rc = guard(w);
	if (rc != RSP_OK)
		return rc;
	if (w->nheld > 0 && (rc = release_held(w)) != RSP_OK)
		return rc;
	if ((rc = send_pending(w)) != RSP_OK)
		return rc;
	rc = rsp__sink_flush(&w->sink);
	return rc == RSP_OK ? RSP_OK : fail(w, rc);
}

/* ---- files ---------------------------------------------------------------- */

static ssize_t read_some(int fd, void *buf, size_t len)
{
	ssize_t n;
	while ((n = read(fd, buf, len)) < 0 && errno == EINTR)
		;
	return n;
}

/* Size still to read from a regular file at its offset, or -1. */
static int64_t regular_remaining(int fd)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		return -1;
	off_t at = lseek(fd, 0, SEEK_CUR);
	if (at < 0)
		at = 0;
	return sb.st_size > at ? (int64_t)(sb.st_size - at) : 0;
}

int rsp__read_fd_chunks(rsp_writer *w, int fd, int64_t size, bool whole,
    int (*each)(void *arg, const void *data, size_t len), void *arg)
{
	struct rsp_buffer *b = &w->chunk;
	uint64_t got = 0;
	int rc = RSP_OK;

	b->len = 0;
	for (;;) {
		size_t want = RSP__FILE_CHUNK;
		if (size >= 0) {
			if (got >= (uint64_t)size)
				break;
			if ((uint64_t)size - got < want)
				want = (size_t)((uint64_t)size - got);
		}
		if (!whole)
			b->len = 0;
		if ((rc = rsp__buf_reserve(b, want)) != RSP_OK)
			break;
		ssize_t n = read_some(fd, b->data + b->len, want);
		if (n < 0) {
			rc = RSP_EIO;
			break;
		}
		if (n == 0) {
			/* A file that shrank is reported, never padded. */
			if (size >= 0)
				rc = RSP_EIO;
			break;
		}
		got += (uint64_t)n;
		b->len += (size_t)n;
		if (!whole && (rc = each(arg, b->data, b->len)) != RSP_OK)
			break;
	}
	if (whole && rc == RSP_OK && b->len > 0)
		rc = each(arg, b->data, b->len);
	b->len = 0;
	return rc;
}

static int each_body(void *arg, const void *data, size_t len)
{
	rsp_writer *w = arg;
	int rc = body_check(w, len, -1);
	return rc == RSP_OK ? body_bytes(w, data, len) : rc;
}

/* The body stopped short of `size`: the framing is broken for good. */
static int short_body(rsp_writer *w, uint64_t got, int64_t size)
{
	fail(w, RSP_EIO);
	return rsp__why_setf(w->cfg->why, RSP_EIO,
	    "the file ended after %llu of %lld "
	    "bytes",
	    (unsigned long long)got, (long long)size);
}

/*
 * Send a descriptor as body, and close it.  A regular file whose size is
 * known goes out with sendfile when the sink is a descriptor, and is
 * refused whole when it would pass an announced Content-Length.  A file
 * that ends early (it shrank) leaves the response misframed, so the
 * failure is sticky like a sink's.
 */
static int stream_fd(rsp_writer *w, int fd, int64_t size)
{
	int rc;
	if (size < 0)
		size = regular_remaining(fd);
	if (size >= 0 && (rc = body_check(w, (uint64_t)size, -1)) != RSP_OK)
		return rc;
	if ((rc = body_check(w, 0, -1)) != RSP_OK ||
	    (rc = body_begin(w, -1)) != RSP_OK)
		return rc;
	w->used = true;
	if (body_dropped(w)) {
		w->body_sent += size > 0 ? (uint64_t)size : 0;
		return RSP_OK;
	}
	if (size > 0 && rsp__sink_is_fd(&w->sink, NULL) &&
	    (uint64_t)size > w->out.cap - w->out.len) {
		if ((rc = send_pending(w)) != RSP_OK)
			return rc;
		int64_t sent = rsp__sink_sendfile(&w->sink, fd, (size_t)size);
		if (sent >= 0) {
			w->body_sent += (uint64_t)sent;
			w->wire_sent += (uint64_t)sent;
			return sent == size
			    ? RSP_OK
			    : short_body(w, (uint64_t)sent, size);
		}
		if (sent == RSP_EIO)
			return fail(w, RSP_EIO);
		/* RSP_ESTATE: the kernel cannot; read and write instead. */
	}
	uint64_t before = w->body_sent;
	rc = rsp__read_fd_chunks(w, fd, size, false, each_body, w);
	if (rc == RSP_EIO && !w->err)
		return short_body(w, w->body_sent - before, size);
	return rc;
}

int rsp__writer_stream_fd(rsp_writer *w, int fd, int64_t size)
{
	int rc = stream_fd(w, fd, size);
	close(fd);
	return rc;
}

int rsp_writer_write_content_file(rsp_writer *w, int fd)
{
	if (fd < 0)
		return w != NULL ? refuse(w, RSP_EINVAL, "negative descriptor")
		                 : RSP_EINVAL;
	int rc = guard(w);
	if (rc != RSP_OK) {
		close(fd);
		return rc;
	}
	return rsp__writer_stream_fd(w, fd, -1);
}

/* ---- the end ---------------------------------------------------------------- */

/* A Content-Length announced and not met: the framing is broken. */
static int check_length(rsp_writer *w, int rc)
{
	bool suppressed =
	    body_dropped(w) || rsp__body_forbidden(w->status_code);
	if ((rc != RSP_OK && rc != RSP_ESTATE) || !w->cl_seen ||
	    w->body_sent >= w->cl || suppressed)
		return rc;
	rsp__logf(&w->cfg->log,
	    "respond: response ended after %llu of %llu "
	    "body bytes\n",
	    (unsigned long long)w->body_sent, (unsigned long long)w->cl);
	return rsp__why_setf(w->cfg->why, RSP_ESTATE,
	    "the body ended after %llu "
	    "of Content-Length %llu bytes",
	    (unsigned long long)w->body_sent, (unsigned long long)w->cl);
}

/* The hook ends the request with the unsent bytes: under FastCGI the last
 * output and the end records leave in one write. */
static int hand_over(rsp_writer *w)
{
	size_t tail = w->err ? 0 : w->out.len;
	int rc = w->cfg->on_finish(w->cfg->finish_ctx, w->out.data, tail);
	w->wire_sent += rc == RSP_OK ? tail : 0;
	w->out.len = 0;
	if (rc == RSP_EIO)
		w->err = RSP_EIO;
	return rc;
}

int rsp__writer_finish(rsp_writer *w, int rc, bool close_head)
{
	int rc2;
	if (close_head && w->status_written && !w->headers_complete && !w->err)
		rc = end_block(w);
	if (w->nheld > 0 && !w->err && (rc2 = release_held(w)) != RSP_OK &&
	    rc == RSP_OK)
		rc = rc2;
	rc = check_length(w, rc);
	rc2 = w->cfg->on_finish != NULL ? hand_over(w) : rsp_writer_flush(w);
	if (rc2 != RSP_OK && (rc == RSP_OK || rc2 == RSP_EIO))
		rc = rc2;
	w->finished = true;
	return rc;
}
