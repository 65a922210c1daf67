/*
 * range.c - range requests (RFC 9110 section 14): the Range and If-Range
 * fields, and the 206 (one range, or multipart/byteranges) and 416 answers,
 * sent from the content in memory or from the file at the range's offset.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* 1*DIGIT at s[*i], saturating at UINT64_MAX (a position that large is
 * syntactically fine and simply past any file).  false when no digit. */
static bool number(const char *s, size_t len, size_t *i, uint64_t *v)
{
	size_t start = *i;
	*v = 0;
	for (; *i < len && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
		unsigned d = (unsigned)(s[*i] - '0');
		*v = *v > (UINT64_MAX - d) / 10 ? UINT64_MAX : *v * 10 + d;
	}
	return *i > start;
}

/* range-spec = int-range / suffix-range at s[*i].  A satisfiable one goes
 * into *out and sets *ok.  false: invalid syntax. */
static bool range_spec(const char *s, size_t len, size_t *i, uint64_t size,
    struct rsp__range *out, bool *ok)
{
	uint64_t a, b;
	*ok = false;
	if (*i < len && s[*i] == '-') {
		(*i)++;
		if (!number(s, len, i, &b))
			return false;
		if (b > 0 && size > 0) {
			out->first = b >= size ? 0 : size - b;
			out->last = size - 1;
			*ok = true;
		}
		return true;
	}
	if (!number(s, len, i, &a) || *i >= len || s[*i] != '-')
		return false;
	(*i)++;
	b = UINT64_MAX;
	if (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		number(s, len, i, &b);
		if (b < a)
			return false; /* RFC 9110 14.1.1: invalid */
	}
	if (a < size) {
		out->first = a;
		out->last = b >= size ? size - 1 : b;
		*ok = true;
	}
	return true;
}

static bool overlapping(const struct rsp__range *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (v[i].first <= v[j].last && v[j].first <= v[i].last)
				return true;
	return false;
}

int rsp__range_parse(const char *s, size_t len, uint64_t size,
    struct rsp__range *out)
{
	size_t i = 0, specs = 0;
	int n = 0;

	if (len < 6 || !rsp__ieqn(s, 5, "bytes") || s[5] != '=')
		return RSP__RANGE_IGNORE;
	i = 6;
	/* 1#range-spec: empty elements and OWS around commas are allowed. */
	while (i < len) {
		if (s[i] == ',' || rsp__is_ws(s[i])) {
			i++;
			continue;
		}
		if (++specs > RSP_MAX_RANGES)
			return RSP__RANGE_IGNORE;
		bool ok;
		if (!range_spec(s, len, &i, size, &out[n], &ok))
			return RSP__RANGE_IGNORE;
		if (ok)
			n++;
		while (i < len && rsp__is_ws(s[i]))
			i++;
		if (i < len && s[i] != ',')
			return RSP__RANGE_IGNORE;
	}
	if (specs == 0)
		return RSP__RANGE_IGNORE;
	/* Overlaps are refused rather than coalesced: RFC 9110 section 14.2
	 * lets a server ignore them, and a client asking for the same bytes
	 * twice is more often an amplification attempt than a need. */
	if (n > 1 && overlapping(out, (size_t)n))
		return RSP__RANGE_IGNORE;
	return n;
}

/* ---- If-Range ---------------------------------------------------------- */

/* RFC 9110 section 13.1.5: an entity-tag must match the current one
 * strongly; a date must equal Last-Modified exactly. */
static bool if_range_holds(const char *v, const rsp_headers *h)
{
	size_t len = strlen(v);
	while (len > 0 && rsp__is_ws(*v)) {
		v++;
		len--;
	}
	while (len > 0 && rsp__is_ws(v[len - 1]))
		len--;
	if (len > 0 &&
	    (v[0] == '"' || (len > 1 && v[0] == 'W' && v[1] == '/'))) {
		const char *etag = rsp_headers_get(h, "ETag");
		bool weak;
		const char *op;
		size_t olen;
		if (etag == NULL ||
		    rsp__etag_scan(v, len, &weak, &op, &olen) != len || weak)
			return false;
		return rsp__etag_match(v, len, etag, strlen(etag), false);
	}
	const char *lm = rsp_headers_get(h, "Last-Modified");
	time_t now = time(NULL), a, b;
	return lm != NULL && rsp__parse_http_date(v, len, now, &a) == RSP_OK &&
	    rsp__parse_http_date(lm, strlen(lm), now, &b) == RSP_OK && a == b;
}

/* ---- the body of a ranged answer ---------------------------------------- */

/* One stretch of the body: literal bytes (the multipart framing) or
 * a stretch of the content. */
struct seg {
	const char *lit;
	size_t litlen;
	uint64_t off, len;
};

struct source {
	const unsigned char *mem; /* content in memory, or */
	int fd;                   /* the file (owned by the response) */
	off_t base;               /* where the content starts in it */
	struct seg *v;
	size_t n, at;       /* segments, the current one */
	uint64_t done;      /* of the current segment */
	unsigned char *buf; /* RSP__FILE_CHUNK bytes, for pread */
};

static int pread_full(int fd, void *buf, size_t len, off_t off)
{
	unsigned char *p = buf;
	while (len > 0) {
		ssize_t n = pread(fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return RSP_EIO; /* the file shrank: never pad */
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return RSP_OK;
}

/* A part callback: each call hands out the next piece, in order. */
static int next_piece(void *arg, const void **data, size_t *len)
{
	struct source *src = arg;
	if (src->at >= src->n)
		return RSP_ECALLBACK;
	struct seg *s = &src->v[src->at];
	if (s->lit != NULL) {
		*data = s->lit;
		*len = s->litlen;
		src->at++;
		return RSP_OK;
	}
	uint64_t want = s->len - src->done;
	if (src->mem != NULL) {
		*data = src->mem + s->off + src->done;
	} else {
		if (want > RSP__FILE_CHUNK)
			want = RSP__FILE_CHUNK;
		int rc = pread_full(src->fd, src->buf, (size_t)want,
		    src->base + (off_t)(s->off + src->done));
		if (rc != RSP_OK)
			return rc;
		*data = src->buf;
	}
	*len = (size_t)want;
	src->done += want;
	if (src->done == s->len) {
		src->at++;
		src->done = 0;
	}
	return RSP_OK;
}

static size_t pieces_of(const struct source *src)
{
	size_t k = 0;
	for (size_t i = 0; i < src->n; i++) {
		const struct seg *s = &src->v[i];
		if (s->lit != NULL || src->mem != NULL)
			k++;
		else
			k += (size_t)((s->len + RSP__FILE_CHUNK - 1) /
			    RSP__FILE_CHUNK);
	}
	return k;
}

static void boundary(char out[21])
{
	unsigned char rnd[10];
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(rnd)) {
		/* Only uniqueness within this body matters; a clock will do. */
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t x = (uint64_t)ts.tv_nsec ^
		    ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)getpid() << 20;
		for (size_t i = 0; i < sizeof(rnd);
		     i++, x = x * 6364136223846793005u + 1)
			rnd[i] = (unsigned char)(x >> 56);
	}
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < sizeof(rnd); i++) {
		out[2 * i] = hex[rnd[i] >> 4];
		out[2 * i + 1] = hex[rnd[i] & 15];
	}
	out[20] = '\0';
}

/* What the content is: bytes in memory, or a regular file's stretch. */
struct content {
	const unsigned char *mem;
	int fd;
	off_t base;
	uint64_t size;
};

static bool rangeable(struct rsp__response *r, struct content *c)
{
	c->mem = NULL;
	c->fd = -1;
	c->base = 0;
	if (r->kind == RSP__C_STRING) {
		c->mem = r->content;
		c->size = r->content_len;
		return true;
	}
	if (r->kind == RSP__C_FILE && r->fd >= 0 && r->fd_sized) {
		off_t at = lseek(r->fd, 0, SEEK_CUR);
		if (at < 0)
			return false;
		c->fd = r->fd;
		c->base = at;
		c->size = r->fd_size;
		return true;
	}
	return false;
}

static int set_u64(rsp_headers *h, const char *name, uint64_t v)
{
	return rsp_headers_setf(h, name, "%llu", (unsigned long long)v);
}

static int one_range(struct rsp__response *r, const struct content *c,
    const struct rsp__range *rg)
{
	uint64_t len = rg->last - rg->first + 1;
	int rc = rsp_headers_setf(&r->headers, "Content-Range",
	    "bytes %llu-%llu/%llu", (unsigned long long)rg->first,
	    (unsigned long long)rg->last, (unsigned long long)c->size);
	if (rc == RSP_OK)
		rc = set_u64(&r->headers, "Content-Length", len);
	if (rc != RSP_OK)
		return rc;
	/* The writer sends a file from its position: sendfile to a
	 * descriptor, reads otherwise; nothing outside the range. */
	if (c->mem == NULL &&
	    lseek(c->fd, c->base + (off_t)rg->first, SEEK_SET) < 0)
		return RSP_EIO;
	rsp__content_narrow(r, rg->first, len);
	r->status = 206;
	r->status_msg = NULL;
	return 206;
}

static int many_ranges(struct rsp__response *r, const struct content *c,
    const struct rsp__range *rg, size_t n)
{
	struct rsp__arena *a = &r->arena;
	const char *type = rsp_headers_get(&r->headers, "Content-Type");
	char b[21];
	struct source *src = rsp__arena_alloc(a, sizeof(*src));
	struct seg *v = rsp__arena_alloc(a, (2 * n + 1) * sizeof(*v));
	if (src == NULL || v == NULL)
		return RSP_ENOMEM;
	boundary(b);
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		char head[512];
		int hl = snprintf(head, sizeof(head),
		    "\r\n--%s\r\n%s%s%sContent-Range: bytes %llu-%llu/%llu\r\n\r\n",
		    b, type ? "Content-Type: " : "", type ? type : "",
		    type ? "\r\n" : "", (unsigned long long)rg[i].first,
		    (unsigned long long)rg[i].last,
		    (unsigned long long)c->size);
		if (hl < 0 || (size_t)hl >= sizeof(head))
			return RSP_ELIMIT;
		struct seg lit = { rsp__arena_memdup(a, head, (size_t)hl),
			(size_t)hl, 0, 0 };
		struct seg body = { NULL, 0, rg[i].first,
			rg[i].last - rg[i].first + 1 };
		if (lit.lit == NULL)
			return RSP_ENOMEM;
		v[2 * i] = lit;
		v[2 * i + 1] = body;
		total += lit.litlen + body.len;
	}
	char tail[32];
	int tl = snprintf(tail, sizeof(tail), "\r\n--%s--\r\n", b);
	struct seg end = { rsp__arena_memdup(a, tail, (size_t)tl), (size_t)tl,
		0, 0 };
	if (end.lit == NULL)
		return RSP_ENOMEM;
	v[2 * n] = end;
	total += end.litlen;

	*src =
	    (struct source){ c->mem, c->fd, c->base, v, 2 * n + 1, 0, 0, NULL };
	if (c->mem == NULL &&
	    (src->buf = rsp__arena_alloc(a, RSP__FILE_CHUNK)) == NULL)
		return RSP_ENOMEM;
	int rc = rsp_headers_setf(&r->headers, "Content-Type",
	    "multipart/byteranges; boundary=%s", b);
	if (rc == RSP_OK)
		rc = set_u64(&r->headers, "Content-Length", total);
	if (rc != RSP_OK)
		return rc;
	/* The content becomes the pieces.  A file's descriptor stays in r->fd,
	 * which the response closes with its content whatever the kind. */
	int fd = r->fd;
	r->fd = -1;
	rsp__content_clear(r);
	r->fd = fd;
	size_t k = pieces_of(src);
	for (size_t i = 0; i < k; i++)
		if ((rc = rsp_add_content_fn(&r->pub, next_piece, src, NULL)) !=
		    RSP_OK)
			return rc;
	r->status = 206;
	r->status_msg = NULL;
	return 206;
}

static int unsatisfiable(rsp_response *res, uint64_t size)
{
	int rc = rsp_set_error(res, 416, "Range Not Satisfiable");
	if (rc == RSP_OK)
		rc = rsp_headers_setf(res->headers, "Content-Range",
		    "bytes */%llu", (unsigned long long)size);
	return rc == RSP_OK ? 416 : rc;
}

int rsp_apply_range(rsp_response *res)
{
	if (res == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	struct content c;
	if (rsp__writer_used(res->writer))
		return RSP_ESTATE;
	if (r->status != 200 || !rangeable(r, &c))
		return 0;
	int rc = rsp_headers_set(&r->headers, "Accept-Ranges", "bytes");
	if (rc != RSP_OK)
		return rc;
	const rsp_request *req = res->request;
	/* From the request's index, not handed out: read during this call. */
	const char *range = rsp__request_var(req, RSP__V_RANGE);
	if (range == NULL)
		return 0;
	/* Range is defined for GET; HEAD answers with GET's fields. */
	const char *m = rsp_request_method(req);
	if (strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0)
		return 0;
	const char *if_range = rsp__request_var(req, RSP__V_IF_RANGE);
	if (if_range != NULL && !if_range_holds(if_range, &r->headers))
		return 0;
	struct rsp__range v[RSP_MAX_RANGES];
	int n = rsp__range_parse(range, strlen(range), c.size, v);
	if (n == RSP__RANGE_IGNORE)
		return 0;
	if (n == 0)
		return unsatisfiable(res, c.size);
	if (n == 1)
		return one_range(r, &c, &v[0]);
	return many_ranges(r, &c, v, (size_t)n);
}
