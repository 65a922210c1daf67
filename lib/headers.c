/*
 * headers.c - ResponseHeaders: an ordered, case-insensitive multimap kept in
 * send order (a name's values together, names in order of first
 * appearance), and the header rules of each flavour, judged wherever a
 * header enters.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rsp__headers_init(rsp_headers *h, struct rsp__arena *arena,
    struct rsp__why *why)
{
	h->v = h->inline_v;
	h->n = 0;
	h->cap = RSP__HEADERS_INLINE;
	h->arena = arena;
	h->why = why;
	h->flavour = RSP_CGI;
}

void rsp__headers_clear(rsp_headers *h)
{
	h->n = 0;
}

void rsp__headers_free(rsp_headers *h)
{
	if (h->v != h->inline_v)
		free(h->v);
	h->v = h->inline_v;
	h->n = 0;
	h->cap = RSP__HEADERS_INLINE;
}

int64_t rsp__parse_content_length(const char *s, size_t len)
{
	uint64_t v = 0;
	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		/* Check before multiplying: 2^64 + k must not wrap round to k. */
		if (v > ((uint64_t)INT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return (int64_t)v;
}

/* RFC 9113 §8.2.2: fields that only make sense on one HTTP/1 connection. */
static bool connection_specific(const char *name, size_t nlen)
{
	return RSP__IS(name, nlen, "Connection") ||
	    RSP__IS(name, nlen, "Keep-Alive") ||
	    RSP__IS(name, nlen, "Proxy-Connection") ||
	    RSP__IS(name, nlen, "Transfer-Encoding") ||
	    RSP__IS(name, nlen, "Upgrade");
}

int rsp__header_check(enum rsp_flavour f, const char *name, size_t nlen,
    const char *value, size_t vlen, const char **why)
{
	const char *w = NULL;
	if (name == NULL || value == NULL)
		w = "NULL header name or value";
	else if (!rsp__is_token(name, nlen))
		w = "header name is not an RFC 9110 token";
	else if (!rsp__is_field_value(value, vlen))
		w = "header value holds CR, LF, NUL or another control byte";
	/* The status has its own call; a Status header would be a second one. */
	else if (RSP__IS(name, nlen, "Status"))
		w = "Status is set with rsp_set_status, not as a header";
	/* Framing is the web server's in CGI, HTTP/2 forbids the field, and
	 * the NPH writer frames by Content-Length or by closing: a
	 * Transfer-Encoding would be a second framing (RFC 9112 6.1). */
	else if (RSP__IS(name, nlen, "Transfer-Encoding"))
		w = "Transfer-Encoding is never sent: respond frames the body "
		    "with Content-Length or by closing the connection";
	/* Orders to the web server (rsp_offload_file): no server reads an NPH
	 * header block, so they would reach the client, naming a private
	 * path, with no file behind them. */
	else if (f == RSP_NPH &&
	    (RSP__IS(name, nlen, "X-Accel-Redirect") ||
	        RSP__IS(name, nlen, "X-Sendfile")))
		w = "X-Accel-Redirect and X-Sendfile are orders to a web server, "
		    "which no NPH response passes through";
	/* Only an NPH program talks to the client's connection itself: in
	 * CGI it is the server's (RFC 3875 6.3), and HTTP/2 forbids them. */
	else if (f == RSP_H2 &&
	    (connection_specific(name, nlen) ||
	        (RSP__IS(name, nlen, "TE") &&
	            !RSP__IS(value, vlen, "trailers"))))
		w = "connection-specific header in the H2 flavour (RFC 9113 8.2.2)";
	else if (f == RSP_CGI && connection_specific(name, nlen))
		w = "connection-specific header in a CGI response: the web "
		    "server's own (RFC 3875 6.3)";
	else if (f == RSP_H2 && vlen > 0 &&
	    (rsp__is_ws(value[0]) || rsp__is_ws(value[vlen - 1])))
		w = "H2 header value starts or ends with a space or tab";
	else if (RSP__IS(name, nlen, "Content-Length") &&
	    rsp__parse_content_length(value, vlen) < 0)
		w = "Content-Length is not 1*DIGIT below 2^63";
	if (why != NULL)
		*why = w;
	return w == NULL ? RSP_OK : RSP_EINVAL;
}

static int refuse(rsp_headers *h, int rc, const char *why)
{
	return h->why != NULL ? rsp__why_set(h->why, rc, why) : rc;
}

static enum rsp_flavour flavour_of(const rsp_headers *h)
{
	return h->flavour;
}

/* Index of the first value of `name`, or h->n. */
static size_t find(const rsp_headers *h, const char *name, size_t nlen)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].name_len == nlen &&
		    rsp__ieqn(name, nlen, h->v[i].name))
			return i;
	return h->n;
}

/* One past the last value of the group that starts at i. */
static size_t group_end(const rsp_headers *h, size_t i)
{
	size_t j = i + 1;
	while (j < h->n && h->v[j].name_len == h->v[i].name_len &&
	    rsp__ieqn(h->v[j].name, h->v[j].name_len, h->v[i].name))
		j++;
	return j;
}

static int grow(rsp_headers *h)
{
	if (h->n < h->cap)
		return RSP_OK;
	size_t cap = h->cap * 2;
	struct rsp__header *v;
	if (h->v == h->inline_v) {
		if ((v = malloc(cap * sizeof(*v))) == NULL)
			return RSP_ENOMEM;
		memcpy(v, h->inline_v, h->n * sizeof(*v));
	} else if ((v = realloc(h->v, cap * sizeof(*v))) == NULL) {
		return RSP_ENOMEM;
	}
	h->v = v;
	h->cap = cap;
	return RSP_OK;
}

int rsp__headers_add(rsp_headers *h, const char *name, size_t nlen,
    const char *value, size_t vlen, bool replace)
{
	const char *why;
	if (nlen > UINT32_MAX || vlen > UINT32_MAX)
		return refuse(h, RSP_EINVAL, "header name or value over 4 GiB");
	int rc =
	    rsp__header_check(flavour_of(h), name, nlen, value, vlen, &why);
	if (rc != RSP_OK)
		return refuse(h, rc, why);
	size_t at = find(h, name, nlen);
	/* Fields with one value (RFC 9110 5.3): set replaces it, a second is
	 * refused, as a receiver could not tell which one counts. */
	if (!replace && at < h->n && RSP__IS(name, nlen, "Content-Length"))
		return refuse(h, RSP_EINVAL, "a second Content-Length");
	if (!replace && at < h->n && RSP__IS(name, nlen, "Content-Type"))
		return refuse(h, RSP_EINVAL, "a second Content-Type");
	if (!replace && at < h->n && RSP__IS(name, nlen, "Location"))
		return refuse(h, RSP_EINVAL, "a second Location");
	if ((rc = grow(h)) != RSP_OK)
		return refuse(h, rc, "out of memory");
	char *n = rsp__arena_strndup(h->arena, name, nlen);
	char *v = rsp__arena_strndup(h->arena, value, vlen);
	if (n == NULL || v == NULL)
		return refuse(h, RSP_ENOMEM, "out of memory");
	struct rsp__header e = { n, v, (uint32_t)nlen, (uint32_t)vlen };

	if (at == h->n) {
		h->v[h->n++] = e;
	} else if (replace) {
		size_t end = group_end(h, at);
		h->v[at] = e;
		memmove(&h->v[at + 1], &h->v[end], (h->n - end) * sizeof(e));
		h->n -= end - (at + 1);
	} else {
		size_t end = group_end(h, at);
		memmove(&h->v[end + 1], &h->v[end], (h->n - end) * sizeof(e));
		/* Keep the group's first spelling, as the reference does. */
		e.name = h->v[at].name;
		h->v[end] = e;
		h->n++;
	}
	return RSP_OK;
}

int rsp_headers_set(rsp_headers *h, const char *name, const char *value)
{
	if (h == NULL)
		return RSP_EINVAL;
	if (name == NULL || value == NULL)
		return refuse(h, RSP_EINVAL, "NULL header name or value");
	return rsp__headers_add(h, name, strlen(name), value, strlen(value),
	    true);
}

int rsp_headers_append(rsp_headers *h, const char *name, const char *value)
{
	if (h == NULL)
		return RSP_EINVAL;
	if (name == NULL || value == NULL)
		return refuse(h, RSP_EINVAL, "NULL header name or value");
	return rsp__headers_add(h, name, strlen(name), value, strlen(value),
	    false);
}

static int headers_vaddf(rsp_headers *h, const char *name, bool replace,
    const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 0)))
#endif
    ;
static int headers_vaddf(rsp_headers *h, const char *name, bool replace,
    const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;

	if (h == NULL)
		return RSP_EINVAL;
	if (name == NULL || fmt == NULL)
		return refuse(h, RSP_EINVAL, "NULL header name or format");
	va_copy(ap2, ap);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): clang-tidy 14 bug, LLVM #40656 */
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return RSP_EINVAL;
	}
	const char *value = small;
	if ((size_t)n >= sizeof(small)) {
		char *big = malloc((size_t)n + 1);
		if (big == NULL) {
			va_end(ap2);
			return RSP_ENOMEM;
		}
		vsnprintf(big, (size_t)n + 1, fmt, ap2);
		int rc = rsp__headers_add(h, name, strlen(name), big, (size_t)n,
		    replace);
		free(big);
		va_end(ap2);
		return rc;
	}
	va_end(ap2);
	return rsp__headers_add(h, name, strlen(name), value, (size_t)n,
	    replace);
}

int rsp_headers_setf(rsp_headers *h, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = headers_vaddf(h, name, true, fmt, ap);
	va_end(ap);
	return rc;
}

int rsp_headers_appendf(rsp_headers *h, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = headers_vaddf(h, name, false, fmt, ap);
	va_end(ap);
	return rc;
}

const char *rsp_headers_get(const rsp_headers *h, const char *name)
{
	if (h == NULL || name == NULL)
		return NULL;
	size_t i = find(h, name, strlen(name));
	return i < h->n ? h->v[i].value : NULL;
}

size_t rsp_headers_get_all(const rsp_headers *h, const char *name,
    const char **values, size_t max)
{
	if (h == NULL || name == NULL)
		return 0;
	size_t i = find(h, name, strlen(name));
	if (i == h->n)
		return 0;
	size_t end = group_end(h, i);
	for (size_t k = 0; k < end - i && k < max && values != NULL; k++)
		values[k] = h->v[i + k].value;
	return end - i;
}

bool rsp_headers_contains(const rsp_headers *h, const char *name)
{
	return rsp_headers_get(h, name) != NULL;
}

int rsp_headers_remove(rsp_headers *h, const char *name)
{
	if (h == NULL || name == NULL)
		return RSP_EINVAL;
	size_t i = find(h, name, strlen(name));
	if (i == h->n)
		return RSP_OK;
	size_t end = group_end(h, i);
	memmove(&h->v[i], &h->v[end], (h->n - end) * sizeof(h->v[0]));
	h->n -= end - i;
	return RSP_OK;
}

bool rsp_headers_next(const rsp_headers *h, size_t *pos, const char **name,
    const char **value)
{
	if (h == NULL || pos == NULL || *pos >= h->n)
		return false;
	if (name)
		*name = h->v[*pos].name;
	if (value)
		*value = h->v[*pos].value;
	(*pos)++;
	return true;
}

size_t rsp_headers_count(const rsp_headers *h)
{
	return h ? h->n : 0;
}
