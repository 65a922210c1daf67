/*
 * cookie_parse.c - the request's Cookie header (HTTP_COOKIE).
 *
 * A user agent sends `cookie-string = cookie-pair *( ";" SP cookie-pair )`
 * (RFC 6265 section 5.4).  Servers and proxies join several Cookie headers
 * with "; ", and real headers carry junk, so the parser is lenient the way
 * RFC 6265 section 5.2 and Go's readCookies are, and skips what it cannot
 * use rather than failing the request:
 *
 *   - the header is split on ';' only; each crumb is trimmed of SP and HTAB;
 *   - a crumb without '=' is skipped;
 *   - the name (before the first '=', trimmed) must be an RFC 9110 token,
 *     else the crumb is skipped;
 *   - the value (after the first '=', trimmed) loses one pair of enclosing
 *     double quotes; a value with a control byte (0x00-0x1F, 0x7F) is
 *     skipped; anything else is kept as it is (bytes, not decoded);
 *   - order and duplicates are kept.
 *
 * The strings are one arena copy of the header with NULs written in place.
 */
#include "internal.h"

#include <string.h>

int rsp__cookie_parse(struct rsp__arena *a, const char *s, size_t len,
    struct rsp__pairs *out)
{
	out->v = NULL;
	out->n = 0;
	if (len == 0)
		return RSP_OK;

	size_t max = 1;
	for (const char *p = s, *end = s + len;
	     (p = memchr(p, ';', (size_t)(end - p))) != NULL; p++)
		max++;

	if (max > SIZE_MAX / sizeof(struct rsp__pair))
		return RSP_ENOMEM;
	struct rsp__pair *v = rsp__arena_alloc(a, max * sizeof(*v));
	char *c = rsp__arena_strndup(a, s, len);
	if (v == NULL || c == NULL)
		return RSP_ENOMEM;

	size_t n = 0;
	char *p = c, *end = c + len;
	for (;;) {
		char *semi = memchr(p, ';', (size_t)(end - p));
		char *e = semi ? semi : end;
		char *b = p;

		while (b < e && rsp__is_ws(*b))
			b++;
		while (e > b && rsp__is_ws(e[-1]))
			e--;
		char *eq = memchr(b, '=', (size_t)(e - b));
		if (eq != NULL) {
			char *ne = eq, *vb = eq + 1;
			while (ne > b && rsp__is_ws(ne[-1]))
				ne--;
			while (vb < e && rsp__is_ws(*vb))
				vb++;
			char *ve = e;
			if (ve - vb >= 2 && *vb == '"' && ve[-1] == '"') {
				vb++;
				ve--;
			}
			bool ok = rsp__is_token(b, (size_t)(ne - b));
			for (const char *q = vb; ok && q < ve; q++)
				if ((unsigned char)*q < 0x20 || *q == 0x7f)
					ok = false;
			if (ok) {
				*ne = '\0';
				*ve = '\0';
				v[n].name = b;
				v[n].nlen = (size_t)(ne - b);
				v[n].value = vb;
				v[n].vlen = (size_t)(ve - vb);
				n++;
			}
		}
		if (semi == NULL)
			break;
		p = semi + 1;
	}
	out->v = v;
	out->n = n;
	return RSP_OK;
}
