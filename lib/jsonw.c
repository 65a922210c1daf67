/*
 * jsonw.c - a streaming JSON writer: values go out in call order, with the
 * separators of Python's json.dumps (", " and ": "), into the response's
 * content, straight through its writer, or into a caller's buffer.  Every
 * call is checked against the nesting; a refused call writes nothing.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Stream mode hands the writer this much at a time. */
#define STREAM_CHUNK 8192

void rsp__jsonw_init(struct rsp__jsonw *j, struct rsp_buffer *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

/* Refuse a call: nothing is written, the reason is kept for rsp_jsonw_reason. */
static int refuse(struct rsp__jsonw *j, int rc, const char *why)
{
	j->reason = why;
	return rc;
}

/* Room for n more bytes.  Response writers grow in the response's arena, so
 * nothing outlives the request whatever the handler does. */
static int reserve(struct rsp__jsonw *j, size_t n)
{
	struct rsp_buffer *b = j->out;
	if (b->cap - b->len >= n)
		return RSP_OK;
	if (j->arena == NULL)
		return rsp__buf_reserve(b, n);
	size_t cap = b->cap ? b->cap * 2 : 1024;
	while (cap - b->len < n)
		cap *= 2;
	char *p = rsp__arena_alloc(j->arena, cap);
	if (p == NULL)
		return RSP_ENOMEM;
	if (b->len > 0)
		memcpy(p, b->data, b->len);
	b->data = p;
	b->cap = cap;
	return RSP_OK;
}

static int put(struct rsp__jsonw *j, const void *data, size_t n)
{
	int rc = reserve(j, n);
	if (rc != RSP_OK)
		return rc;
	memcpy(j->out->data + j->out->len, data, n);
	j->out->len += n;
	return RSP_OK;
}

/* Stream mode: pass what is buffered to the response's writer. */
static int drain(struct rsp__jsonw *j)
{
	if (j->res == NULL || j->out->len == 0)
		return RSP_OK;
	struct rsp__response *r = rsp__res(j->res);
	rsp_writer *w = j->res->writer;
	int rc = RSP_OK;
	if (!rsp__writer_used(w)) {
		rsp__content_clear(r);
		rc = rsp__headers_add(&r->headers, "Content-Type", 12,
		    "application/json", 16, true);
		if (rc == RSP_OK)
			rc = rsp_write_status_headers(j->res);
	}
	if (rc == RSP_OK && !rsp__writer_drops_body(w))
		rc = rsp_writer_write_content(w, j->out->data,
		    (ssize_t)j->out->len);
	j->out->len = 0;
	return rc;
}

/*
 * Check that a value may come now and write the separator before it.
 * *undo is the length to cut back to if the value itself fails.
 */
static int before_value(struct rsp__jsonw *j, size_t *undo)
{
	*undo = j->out->len;
	if (j->err)
		return j->err;
	if (j->done)
		return refuse(j, RSP_ESTATE,
		    "the document is already complete");
	if (j->depth == 0)
		return RSP_OK;
	uint64_t bit = 1ull << (j->depth - 1);
	if (j->obj & bit) {
		if (!j->keyed)
			return refuse(j, RSP_ESTATE,
			    "a value where a key is due");
		j->keyed = false;
		return RSP_OK;
	}
	if ((j->nonempty & bit) && put(j, ", ", 2) != RSP_OK)
		return RSP_ENOMEM;
	return RSP_OK;
}

/* After a complete value: mark the level and stream out when due. */
static int after_value(struct rsp__jsonw *j)
{
	if (j->depth == 0)
		j->done = true;
	else
		j->nonempty |= 1ull << (j->depth - 1);
	if (j->res != NULL && (j->out->len >= STREAM_CHUNK || j->done)) {
		int rc = drain(j);
		if (rc == RSP_EIO || rc == RSP_ENOMEM)
			j->err = rc;
		return rc;
	}
	return RSP_OK;
}

/* Write one scalar token (already encoded) as a value. */
static int scalar(struct rsp__jsonw *j, const char *tok, size_t n)
{
	size_t undo;
	bool keyed = j->keyed;
	int rc = before_value(j, &undo);
	if (rc == RSP_OK && (rc = put(j, tok, n)) == RSP_OK)
		return after_value(j);
	j->out->len = undo;
	j->keyed = keyed;
	return rc;
}

static int open_level(struct rsp__jsonw *j, bool object)
{
	size_t undo;
	bool keyed = j->keyed;
	int rc = before_value(j, &undo);
	if (rc == RSP_OK && j->depth >= RSP__JSONW_MAX_DEPTH)
		rc = refuse(j, RSP_ELIMIT, "nested deeper than 64 levels");
	if (rc == RSP_OK && (rc = put(j, object ? "{" : "[", 1)) == RSP_OK) {
		uint64_t bit = 1ull << j->depth;
		j->depth++;
		j->nonempty &= ~bit;
		j->obj = object ? j->obj | bit : j->obj & ~bit;
		return RSP_OK;
	}
	j->out->len = undo;
	j->keyed = keyed;
	return rc;
}

static int close_level(struct rsp__jsonw *j, bool object)
{
	if (j->err)
		return j->err;
	if (j->depth == 0)
		return refuse(j, RSP_ESTATE,
		    object ? "object end without an open object"
		           : "array end without an open array");
	uint64_t bit = 1ull << (j->depth - 1);
	if (((j->obj & bit) != 0) != object)
		return refuse(j, RSP_ESTATE,
		    object ? "object end while an array is open"
		           : "array end while an object is open");
	if (j->keyed)
		return refuse(j, RSP_ESTATE,
		    "object end after a key without its value");
	if (put(j, object ? "}" : "]", 1) != RSP_OK)
		return RSP_ENOMEM;
	j->depth--;
	return after_value(j);
}

/* ---- the calls ---------------------------------------------------------- */

#define J(p) ((struct rsp__jsonw *)(p))

int rsp_jsonw_object_begin(rsp_jsonw *j)
{
	return j == NULL ? RSP_EINVAL : open_level(J(j), true);
}

int rsp_jsonw_object_end(rsp_jsonw *j)
{
	return j == NULL ? RSP_EINVAL : close_level(J(j), true);
}

int rsp_jsonw_array_begin(rsp_jsonw *j)
{
	return j == NULL ? RSP_EINVAL : open_level(J(j), false);
}

int rsp_jsonw_array_end(rsp_jsonw *j)
{
	return j == NULL ? RSP_EINVAL : close_level(J(j), false);
}

int rsp_jsonw_key(rsp_jsonw *jw, const char *key, ssize_t len)
{
	struct rsp__jsonw *j = J(jw);
	if (j == NULL || (key == NULL && len != 0))
		return RSP_EINVAL;
	if (j->err)
		return j->err;
	uint64_t bit = j->depth ? 1ull << (j->depth - 1) : 0;
	if (j->depth == 0 || !(j->obj & bit))
		return refuse(j, RSP_ESTATE, "a key outside an object");
	if (j->keyed)
		return refuse(j, RSP_ESTATE, "a key where a value is due");
	size_t undo = j->out->len;
	size_t n = key ? rsp__len(key, len) : 0;
	int rc = RSP_OK;
	if (j->nonempty & bit)
		rc = put(j, ", ", 2);
	if (rc == RSP_OK && (rc = reserve(j, n + 6)) == RSP_OK) {
		j->out->data[j->out->len++] = '"';
		rc = rsp__json_escape(j->out, (const unsigned char *)key, n);
	}
	if (rc == RSP_OK)
		rc = put(j, "\": ", 3);
	if (rc != RSP_OK) {
		j->out->len = undo;
		return rc;
	}
	j->keyed = true;
	return RSP_OK;
}

int rsp_jsonw_string(rsp_jsonw *jw, const char *s, ssize_t len)
{
	struct rsp__jsonw *j = J(jw);
	if (j == NULL || (s == NULL && len != 0))
		return RSP_EINVAL;
	size_t undo, n = s ? rsp__len(s, len) : 0;
	bool keyed = j->keyed;
	int rc = before_value(j, &undo);
	if (rc == RSP_OK && (rc = reserve(j, n + 2)) == RSP_OK) {
		j->out->data[j->out->len++] = '"';
		rc = rsp__json_escape(j->out, (const unsigned char *)s, n);
		if (rc == RSP_OK)
			rc = put(j, "\"", 1);
	}
	if (rc == RSP_OK)
		return after_value(j);
	j->out->len = undo;
	j->keyed = keyed;
	return rc;
}

int rsp_jsonw_int(rsp_jsonw *j, int64_t v)
{
	if (j == NULL)
		return RSP_EINVAL;
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	return scalar(J(j), p, (size_t)(buf + sizeof(buf) - p));
}

/*
 * The first of %.15g, %.16g and %.17g that reads back as the same double,
 * with ".0" added when it would otherwise read as an integer, as Python
 * prints.  For normal numbers this is the shortest form (a shorter exact
 * decimal survives rounding to 15 digits); subnormals may print longer
 * than Python's repr, but still read back bit for bit.
 */
size_t rsp__json_double(char out[32], double v)
{
	int n = 0;
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(out, 32, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			break;
	}
	for (int i = 0; i < n; i++)
		if (out[i] == ',') /* a locale's decimal comma */
			out[i] = '.';
	if (strpbrk(out, ".e") == NULL) {
		memcpy(out + n, ".0", 3);
		n += 2;
	}
	return (size_t)n;
}

int rsp_jsonw_double(rsp_jsonw *jw, double v)
{
	struct rsp__jsonw *j = J(jw);
	if (j == NULL)
		return RSP_EINVAL;
	if (!isfinite(v))
		return refuse(j, RSP_EINVAL,
		    "NaN and infinities have no JSON form");
	char buf[32];
	size_t n = rsp__json_double(buf, v);
	return scalar(j, buf, n);
}

int rsp_jsonw_bool(rsp_jsonw *j, bool v)
{
	if (j == NULL)
		return RSP_EINVAL;
	return v ? scalar(J(j), "true", 4) : scalar(J(j), "false", 5);
}

int rsp_jsonw_null(rsp_jsonw *j)
{
	return j == NULL ? RSP_EINVAL : scalar(J(j), "null", 4);
}

int rsp_jsonw_raw(rsp_jsonw *j, const char *json, ssize_t len)
{
	if (j == NULL || json == NULL)
		return RSP_EINVAL;
	size_t n = rsp__len(json, len);
	if (n == 0)
		return refuse(J(j), RSP_EINVAL, "raw JSON is empty");
	return scalar(J(j), json, n);
}

const char *rsp_jsonw_reason(const rsp_jsonw *j)
{
	return j != NULL && J(j)->reason != NULL ? J(j)->reason : "";
}

/* ---- life cycle ------------------------------------------------------------ */

rsp_jsonw *rsp_jsonw_new(rsp_response *res, enum rsp_jsonw_mode mode)
{
	if (res == NULL ||
	    (mode != RSP_JSONW_CONTENT && mode != RSP_JSONW_STREAM))
		return NULL;
	struct rsp__response *r = rsp__res(res);
	struct rsp__jsonw *j = rsp__arena_alloc(&r->arena, sizeof(*j));
	struct rsp_buffer *b = rsp__arena_alloc(&r->arena, sizeof(*b));
	if (j == NULL || b == NULL)
		return NULL;
	memset(b, 0, sizeof(*b));
	rsp__jsonw_init(j, b);
	j->arena = &r->arena;
	j->target = res;
	if (mode == RSP_JSONW_STREAM)
		j->res = res;
	return (rsp_jsonw *)j;
}

rsp_jsonw *rsp_jsonw_new_buffer(struct rsp_buffer *out)
{
	if (out == NULL)
		return NULL;
	struct rsp__jsonw *j = malloc(sizeof(*j));
	if (j != NULL) {
		rsp__jsonw_init(j, out);
		j->owned = true;
	}
	return (rsp_jsonw *)j;
}

int rsp_jsonw_end(rsp_jsonw *jw)
{
	struct rsp__jsonw *j = J(jw);
	if (j == NULL)
		return RSP_EINVAL;
	if (j->err)
		return j->err;
	if (!j->done)
		return refuse(j, RSP_ESTATE,
		    j->depth ? "an object or array is still open"
		             : "no value was written");
	if (j->target == NULL || j->res != NULL)
		return RSP_OK;
	/* Content mode: the document becomes the response's content. */
	struct rsp__response *r = rsp__res(j->target);
	int rc = rsp__headers_add(&r->headers, "Content-Type", 12,
	    "application/json", 16, true);
	if (rc == RSP_OK)
		rc = rsp_set_content(j->target, j->out->data,
		    (ssize_t)j->out->len);
	return rc;
}

void rsp_jsonw_free(rsp_jsonw *j)
{
	if (j != NULL && J(j)->owned)
		free(j);
}

int rsp_set_json(rsp_response *res, int status, const char *json, ssize_t len)
{
	if (res == NULL || json == NULL)
		return RSP_EINVAL;
	size_t n = rsp__len(json, len);
	if (n == 0)
		return RSP_EINVAL;
	int rc = rsp_set_status(res, status, NULL);
	if (rc != RSP_OK)
		return rc;
	struct rsp__response *r = rsp__res(res);
	if ((rc = rsp__headers_add(&r->headers, "Content-Type", 12,
	         "application/json", 16, true)) != RSP_OK)
		return rc;
	return rsp_set_content(res, json, (ssize_t)n);
}
