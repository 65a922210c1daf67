/*
 * urlencoded.c - application/x-www-form-urlencoded parsing as the WHATWG
 * URL Standard (section 5.1) does it, byte for byte: split on '&' only, skip
 * empty sequences, name before the first '=', '+' is a space, "%XX" with two
 * hex digits is that byte and any other '%' stays as it is.  Names are
 * case-sensitive; order and duplicates are kept.
 *
 * Decoded bytes are returned as they are (no UTF-8 replacement step): the
 * values are bytes, as wptserve's request.GET gives them.  A NUL byte, raw or
 * from %00, cannot live in a C string, so it makes the input malformed
 * instead of cutting a value short.
 *
 * Two passes, both linear: the first counts the sequences (and stops at the
 * limit before anything is allocated), the second decodes into one block
 * sized from the input, since decoding never grows.
 */
#include "internal.h"

#include <string.h>

/* Decode s[0..n) into dst; the decoded length, or -1 on a NUL byte. */
static ptrdiff_t decode(char *dst, const unsigned char *s, size_t n)
{
	char *d = dst;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%' && n - i >= 3) {
			int hi = rsp__hexval(s[i + 1]), lo;
			if (hi >= 0 && (lo = rsp__hexval(s[i + 2])) >= 0) {
				c = (unsigned char)(hi << 4 | lo);
				i += 2;
			}
		}
		if (c == '\0')
			return -1;
		*d++ = (char)c;
	}
	*d = '\0';
	return d - dst;
}

/* The number of non-empty '&'-separated sequences in *n; RSP_ELIMIT as
 * soon as there are more than max_pairs. */
static int count_sequences(const char *s, size_t len, size_t max_pairs,
    size_t *n)
{
	const char *end = s + len, *p;
	*n = 0;
	for (p = s; p < end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *q = amp ? amp : end;
		if (q > p && ++*n > max_pairs)
			return RSP_ELIMIT;
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	return RSP_OK;
}

/* A NUL is a raw one, or '%', '0', '0' (decode()'s only way to make one:
 * '=' and '&' are not hex digits, so the triple never spans a name or a
 * sequence). */
static bool has_nul(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0' ||
		    (s[i] == '%' && i + 2 < len && s[i + 1] == '0' &&
		        s[i + 2] == '0'))
			return true;
	return false;
}

/* Malformed wins over a limit: a NUL is looked for first. */
int rsp__urlencoded_judge(const char *s, size_t len, size_t max_pairs)
{
	size_t n;
	if (has_nul(s, len))
		return RSP_EBADREQ;
	if (count_sequences(s, len, max_pairs, &n) != RSP_OK)
		return RSP_ELIMIT;
	return RSP_OK;
}

int rsp__urlencoded_parse(struct rsp__arena *a, const char *s, size_t len,
    size_t max_pairs, struct rsp__pairs *out)
{
	const char *end = s + len, *p;
	size_t n = 0;

	out->v = NULL;
	out->n = 0;
	if (len == 0)
		return RSP_OK;
	if (count_sequences(s, len, max_pairs, &n) != RSP_OK)
		return has_nul(s, len) ? RSP_EBADREQ : RSP_ELIMIT;
	if (n == 0)
		return RSP_OK;

	/* Per pair: decoded name + value <= sequence length, plus two NULs. */
	if (n > SIZE_MAX / sizeof(struct rsp__pair) || len > SIZE_MAX - 2 * n)
		return RSP_ENOMEM;
	struct rsp__pair *v = rsp__arena_alloc(a, n * sizeof(*v));
	char *buf = rsp__arena_alloc(a, len + 2 * n);
	if (v == NULL || buf == NULL)
		return RSP_ENOMEM;

	size_t i = 0;
	for (p = s; p < end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *q = amp ? amp : end;
		if (q > p) {
			const char *eq = memchr(p, '=', (size_t)(q - p));
			const char *nend = eq ? eq : q;
			const char *vbeg = eq ? eq + 1 : q;
			ptrdiff_t nl = decode(buf, (const unsigned char *)p,
			    (size_t)(nend - p));
			if (nl < 0)
				return RSP_EBADREQ;
			v[i].name = buf;
			v[i].nlen = (size_t)nl;
			buf += nl + 1;
			ptrdiff_t vl = decode(buf, (const unsigned char *)vbeg,
			    (size_t)(q - vbeg));
			if (vl < 0)
				return RSP_EBADREQ;
			v[i].value = buf;
			v[i].vlen = (size_t)vl;
			buf += vl + 1;
			i++;
		}
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	out->v = v;
	out->n = n;
	return RSP_OK;
}
