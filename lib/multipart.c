/*
 * multipart.c - multipart/form-data request bodies (RFC 7578, RFC 2046
 * section 5.1.1), parsed from one contiguous body (in memory, or a mapped
 * temporary file).
 *
 * Rules (anything else is RSP_EBADREQ, and no part is exposed):
 *   - boundary: the one `boundary` parameter of the Content-Type, token or
 *     quoted-string, 1..max_boundary (70) bchars, not ending in a space;
 *   - the preamble (before the first delimiter) and the epilogue (after the
 *     close delimiter) are ignored; the body may start with the first
 *     dash-boundary directly;
 *   - a delimiter is CRLF "--" boundary followed by "--" (close) or by
 *     optional SP/HTAB padding and CRLF; "--boundary" followed by anything
 *     else is data;
 *   - the close delimiter must be there; "--boundary--" alone is an empty
 *     form;
 *   - each part has a header block of CRLF-terminated lines ended by an
 *     empty line, at most max_part_header bytes in all (more: RSP_ELIMIT);
 *     lines are `token ":" OWS value OWS`, values without control bytes
 *     other than HTAB; no obs-fold;
 *   - exactly one Content-Disposition, type form-data (any case), with
 *     exactly one `name` parameter and at most one `filename` (filename*
 *     and unknown parameters are ignored); at most one Content-Type,
 *     kept verbatim, default "text/plain"; all other headers are ignored
 *     (Content-Transfer-Encoding is not decoded, RFC 7578 section 4.7);
 *   - quoted-strings: `\"` is '"' and `\\` is '\', any other backslash is
 *     kept as it is (so "C:\dir\f.txt" survives); control bytes other than
 *     HTAB are malformed;
 *   - a part with a filename is an upload: its bytes stay in the body, the
 *     filename is handed out exactly as sent (never used as a path); any
 *     other part is a field whose value is copied and NUL-terminated, so a
 *     field value holding a NUL byte is malformed, as in urlencoded forms;
 *   - more than max_parts parts: RSP_ELIMIT, found as the next part starts.
 *
 * Delimiters are found with memmem (linear in glibc), each byte of the body
 * is searched once, so the parse is linear in the body length.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* memmem */
#endif
#include "internal.h"

#include <string.h>

static inline bool is_tchar(unsigned char c)
{
	return (rsp__ctype[c] & RSP__TCHAR) != 0;
}

/* RFC 2046 bchars: DIGIT ALPHA ' ( ) + _ , - . / : = ? and space. */
static bool is_bchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z'))
		return true;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

bool rsp__media_type_is(const char *ct, size_t len, const char *type)
{
	const char *p = ct, *end = ct + len;
	while (p < end && rsp__is_ws(*p))
		p++;
	const char *b = p;
	while (p < end && (is_tchar((unsigned char)*p) || *p == '/'))
		p++;
	if (!rsp__ieqn(b, (size_t)(p - b), type))
		return false;
	return p == end || rsp__is_ws(*p) || *p == ';';
}

/* Skips OWS and empty parameters up to the next one's name: 1 when there
 * is one, 0 at the end, RSP_EBADREQ when no ';' separates it. */
static int skip_to_param(const char **pp, const char *end)
{
	const char *p = *pp;

	for (;;) {
		while (p < end && rsp__is_ws(*p))
			p++;
		if (p == end) {
			*pp = p;
			return 0;
		}
		if (*p != ';')
			return RSP_EBADREQ;
		p++;
		while (p < end && rsp__is_ws(*p))
			p++;
		if (p < end && *p != ';')
			break;
		/* an empty parameter */
	}
	*pp = p;
	return p == end ? 0 : 1;
}

/* A quoted-string value from *pp (at its opening quote), unescaped into
 * the arena: measured first, then copied. */
static int quoted_value(struct rsp__arena *a, const char **pp, const char *end,
    const char **val, size_t *vlen)
{
	const char *p = *pp + 1, *q = p;
	size_t n = 0;
	for (; q < end && *q != '"'; q++, n++) {
		unsigned char c = (unsigned char)*q;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return RSP_EBADREQ;
		if (c == '\\' && q + 1 < end && (q[1] == '"' || q[1] == '\\'))
			q++;
	}
	if (q == end)
		return RSP_EBADREQ;
	char *out = rsp__arena_alloc(a, n + 1);
	if (out == NULL)
		return RSP_ENOMEM;
	*val = out;
	*vlen = n;
	for (; p < q; p++) {
		if (*p == '\\' && p + 1 < q && (p[1] == '"' || p[1] == '\\'))
			p++;
		*out++ = *p;
	}
	*out = '\0';
	*pp = q + 1;
	return 1;
}

/* A token value from *pp, copied into the arena. */
static int token_value(struct rsp__arena *a, const char **pp, const char *end,
    const char **val, size_t *vlen)
{
	const char *p = *pp, *vb = p;
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	if (p == vb)
		return RSP_EBADREQ;
	if ((*val = rsp__arena_strndup(a, vb, (size_t)(p - vb))) == NULL)
		return RSP_ENOMEM;
	*vlen = (size_t)(p - vb);
	*pp = p;
	return 1;
}

/*
 * The next parameter of `*( OWS ";" OWS [ token "=" ( token / quoted-string ) ] ) OWS`
 * starting at *pp.  Returns 1 with the name (in the input) and the value
 * (an arena copy, unescaped), 0 at the end, or a negative rsp_err.
 */
static int next_param(struct rsp__arena *a, const char **pp, const char *end,
    const char **name, size_t *nlen, const char **val, size_t *vlen)
{
	const char *p = *pp;
	int rc = skip_to_param(&p, end);
	if (rc <= 0) {
		if (rc == 0)
			*pp = p;
		return rc;
	}

	const char *nb = p;
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	if (p == nb || p == end || *p != '=')
		return RSP_EBADREQ;
	*name = nb;
	*nlen = (size_t)(p - nb);
	p++;

	if (p < end && *p == '"')
		rc = quoted_value(a, &p, end, val, vlen);
	else
		rc = token_value(a, &p, end, val, vlen);
	if (rc == 1)
		*pp = p;
	return rc;
}

/* Skip leading OWS and the type token(s) of a header value. */
static const char *skip_type(const char *p, const char *end)
{
	while (p < end && rsp__is_ws(*p))
		p++;
	while (p < end && (is_tchar((unsigned char)*p) || *p == '/'))
		p++;
	return p;
}

int rsp__multipart_boundary(struct rsp__arena *a, const char *ct, size_t len,
    size_t max_len, const char **boundary, size_t *blen)
{
	const char *end = ct + len, *p = skip_type(ct, end);
	const char *name, *val = NULL, *found = NULL;
	size_t nlen, vlen, flen = 0;
	int rc;

	while ((rc = next_param(a, &p, end, &name, &nlen, &val, &vlen)) > 0) {
		if (rsp__ieqn(name, nlen, "boundary")) {
			if (found != NULL)
				return RSP_EBADREQ;
			found = val;
			flen = vlen;
		}
	}
	if (rc < 0)
		return rc;
	if (found == NULL || flen == 0 || flen > max_len ||
	    found[flen - 1] == ' ')
		return RSP_EBADREQ;
	for (size_t i = 0; i < flen; i++)
		if (!is_bchar((unsigned char)found[i]))
			return RSP_EBADREQ;
	*boundary = found;
	*blen = flen;
	return RSP_OK;
}

struct part_hdrs {
	const char *name, *filename, *ctype;
	size_t nlen, flen, clen;
	bool have_cd;
};

static int parse_disposition(struct rsp__arena *a, const char *v, size_t vlen,
    struct part_hdrs *h)
{
	const char *end = v + vlen, *p = v;
	const char *b = p;
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	if (!rsp__ieqn(b, (size_t)(p - b), "form-data"))
		return RSP_EBADREQ;

	const char *name, *val = NULL;
	size_t nlen, len = 0;
	int rc;
	while ((rc = next_param(a, &p, end, &name, &nlen, &val, &len)) > 0) {
		if (rsp__ieqn(name, nlen, "name")) {
			if (h->name != NULL)
				return RSP_EBADREQ;
			h->name = val;
			h->nlen = len;
		} else if (rsp__ieqn(name, nlen, "filename")) {
			if (h->filename != NULL)
				return RSP_EBADREQ;
			h->filename = val;
			h->flen = len;
		}
	}
	if (rc < 0)
		return rc;
	if (h->name == NULL)
		return RSP_EBADREQ;
	return RSP_OK;
}

/* Parse the header block [p, end): CRLF-terminated lines. */
static int parse_headers(struct rsp__arena *a, const char *p, const char *end,
    struct part_hdrs *h)
{
	while (p < end) {
		const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		if (eol == NULL)
			return RSP_EBADREQ; /* cannot happen: the block ends in CRLF */
		const char *nb = p, *q = p;
		while (q < eol && is_tchar((unsigned char)*q))
			q++;
		if (q == nb || q == eol || *q != ':')
			return RSP_EBADREQ; /* no name, obs-fold, or space before ':' */
		const char *name = nb;
		size_t nlen = (size_t)(q - nb);
		const char *vb = q + 1, *ve = eol;
		for (const char *r = vb; r < ve; r++) {
			unsigned char c = (unsigned char)*r;
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return RSP_EBADREQ;
		}
		while (vb < ve && rsp__is_ws(*vb))
			vb++;
		while (ve > vb && rsp__is_ws(ve[-1]))
			ve--;

		if (rsp__ieqn(name, nlen, "Content-Disposition")) {
			if (h->have_cd)
				return RSP_EBADREQ;
			h->have_cd = true;
			int rc = parse_disposition(a, vb, (size_t)(ve - vb), h);
			if (rc != RSP_OK)
				return rc;
		} else if (rsp__ieqn(name, nlen, "Content-Type")) {
			if (h->ctype != NULL)
				return RSP_EBADREQ;
			h->clen = (size_t)(ve - vb);
			if ((h->ctype = rsp__arena_strndup(a, vb, h->clen)) ==
			    NULL)
				return RSP_ENOMEM;
		}
		p = eol + 2;
	}
	if (!h->have_cd)
		return RSP_EBADREQ;
	return RSP_OK;
}

/*
 * Find the next delimiter (delim = CRLF "--" boundary) in [p, end) that is
 * followed by "--" or by padding and CRLF.  Returns its start, with *next
 * the first byte after it (after the CRLF) and *close set for the close
 * delimiter; NULL when there is none.
 */
static const unsigned char *find_delim(const unsigned char *p,
    const unsigned char *end, const unsigned char *delim, size_t dlen,
    const unsigned char **next, bool *close)
{
	while ((size_t)(end - p) >= dlen) {
		const unsigned char *m =
		    memmem(p, (size_t)(end - p), delim, dlen);
		if (m == NULL)
			return NULL;
		const unsigned char *t = m + dlen;
		if (end - t >= 2 && t[0] == '-' && t[1] == '-') {
			*close = true;
			*next = t + 2;
			return m;
		}
		while (t < end && rsp__is_ws(*t))
			t++;
		if (end - t >= 2 && t[0] == '\r' && t[1] == '\n') {
			*close = false;
			*next = t + 2;
			return m;
		}
		p = m + 1;
	}
	return NULL;
}

/* The delimiter searched for: CRLF "--" boundary, in the arena. */
static unsigned char *make_delim(struct rsp__arena *a, const char *boundary,
    size_t blen)
{
	unsigned char *delim = rsp__arena_alloc(a, blen + 4);
	if (delim == NULL)
		return NULL;
	static const unsigned char crlf_dashes[4] = { '\r', '\n', '-', '-' };
	memcpy(delim, crlf_dashes, 4);
	memcpy(delim + 4, boundary, blen);
	return delim;
}

/* The first delimiter, which may start the body without its CRLF; false
 * when there is none. */
static bool first_delim(const unsigned char *body, size_t len,
    const unsigned char *delim, size_t dlen, const unsigned char **next,
    bool *close)
{
	const unsigned char *end = body + len;
	*next = NULL;
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
		/* Pretend a CRLF precedes it: search the same bytes in place. */
		const unsigned char *t = body + dlen - 2;
		if (end - t >= 2 && t[0] == '-' && t[1] == '-') {
			*close = true;
			*next = t + 2;
		} else {
			while (t < end && rsp__is_ws(*t))
				t++;
			if (end - t >= 2 && t[0] == '\r' && t[1] == '\n')
				*next = t + 2;
		}
	}
	return *next != NULL ||
	    find_delim(body, end, delim, dlen, next, close) != NULL;
}

/* A part's header block from p, at most max_part_header bytes with its
 * empty line: [p, *hend) are its lines, *data the first byte after it. */
static int header_block(const unsigned char *p, const unsigned char *end,
    const struct rsp_limits *lim, const unsigned char **hend,
    const unsigned char **data)
{
	size_t rest = (size_t)(end - p);
	size_t win = rest < lim->max_part_header ? rest : lim->max_part_header;
	if (win >= 2 && p[0] == '\r' && p[1] == '\n') {
		*hend = p;
		*data = p + 2;
		return RSP_OK;
	}
	const unsigned char *m = memmem(p, win, "\r\n\r\n", 4);
	if (m == NULL)
		return rest > lim->max_part_header ? RSP_ELIMIT : RSP_EBADREQ;
	*hend = m + 2;
	*data = m + 4;
	return RSP_OK;
}

/* Room for part n in the arena array *v (doubling; the old one is left). */
static int grow_parts(struct rsp__arena *a, struct rsp__mpart **v, size_t n,
    size_t *cap)
{
	if (n < *cap)
		return RSP_OK;
	size_t ncap = *cap ? *cap * 2 : 8;
	struct rsp__mpart *nv = rsp__arena_alloc(a, ncap * sizeof(*nv));
	if (nv == NULL)
		return RSP_ENOMEM;
	if (n > 0)
		memcpy(nv, *v, n * sizeof(*nv));
	*v = nv;
	*cap = ncap;
	return RSP_OK;
}

/* A part from its headers and data: an upload points into the body, a
 * field's value is copied and NUL-terminated. */
static int fill_part(struct rsp__arena *a, struct rsp__mpart *part,
    const struct part_hdrs *h, const unsigned char *data, size_t dl)
{
	part->up.name = h->name;
	part->up.filename = h->filename;
	part->up.content_type = h->ctype ? h->ctype : "text/plain";
	part->up.len = dl;
	if (h->filename != NULL) {
		part->up.data = data;
		part->value = NULL;
		return RSP_OK;
	}
	if (memchr(data, '\0', dl) != NULL)
		return RSP_EBADREQ;
	char *val = rsp__arena_strndup(a, (const char *)data, dl);
	if (val == NULL)
		return RSP_ENOMEM;
	part->up.data = val;
	part->value = val;
	return RSP_OK;
}

int rsp__multipart_parse(struct rsp__arena *a, const unsigned char *body,
    size_t len, const char *boundary, size_t blen, const struct rsp_limits *lim,
    struct rsp__multipart *out)
{
	const unsigned char *end = body + len, *next;
	bool close = false;
	size_t n = 0, cap = 0;
	struct rsp__mpart *v = NULL;

	out->v = NULL;
	out->n = 0;
	if (blen == 0 || blen > SIZE_MAX - 4)
		return RSP_EBADREQ;
	unsigned char *delim = make_delim(a, boundary, blen);
	if (delim == NULL)
		return RSP_ENOMEM;
	size_t dlen = blen + 4;
	if (!first_delim(body, len, delim, dlen, &next, &close))
		return RSP_EBADREQ;

	while (!close) {
		const unsigned char *p = next, *hend, *data;
		if (n == lim->max_parts)
			return RSP_ELIMIT;
		int rc = header_block(p, end, lim, &hend, &data);
		if (rc != RSP_OK)
			return rc;
		struct part_hdrs h = { 0 };
		rc = parse_headers(a, (const char *)p, (const char *)hend, &h);
		if (rc != RSP_OK)
			return rc;
		const unsigned char *dend =
		    find_delim(data, end, delim, dlen, &next, &close);
		if (dend == NULL)
			return RSP_EBADREQ;
		if ((rc = grow_parts(a, &v, n, &cap)) != RSP_OK ||
		    (rc = fill_part(a, &v[n], &h, data,
		         (size_t)(dend - data))) != RSP_OK)
			return rc;
		n++;
	}
	out->v = v;
	out->n = n;
	return RSP_OK;
}
