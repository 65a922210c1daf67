/*
 * cookies.c - Set-Cookie lines: RFC 6265's server grammar and RFC 6265bis's
 * discard rules judged when the cookie is set (a cookie a browser would drop
 * is refused here instead), attributes in the reference's fixed order, and
 * dates in English whatever the locale.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define COOKIE_PAIR_MAX 4096 /* RFC 6265bis §5.7: name + value */
#define COOKIE_ATTR_MAX 1024 /* RFC 6265bis §5.6: one attribute value */

/* Expires dates come from rsp__imf_fixdate (httpdate.c). */

/* ---- validation -------------------------------------------------------- */

static const char *const reserved_names[] = {
	"expires",
	"path",
	"comment",
	"domain",
	"max-age",
	"secure",
	"httponly",
	"version",
	"samesite",
	"partitioned",
};

static bool valid_name(const char *name)
{
	if (name == NULL || !rsp__is_token(name, strlen(name)))
		return false;
	for (size_t i = 0;
	     i < sizeof(reserved_names) / sizeof(reserved_names[0]); i++)
		if (rsp__ieq(name, reserved_names[i]))
			return false;
	return true;
}

/* cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE ) */
static bool valid_value(const char *v, size_t len)
{
	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		v++;
		len -= 2;
	}
	for (size_t i = 0; i < len; i++)
		if (!(rsp__ctype[(unsigned char)v[i]] & RSP__COOKIE))
			return false;
	return true;
}

/* Path and extension attributes: any CHAR but CTLs and ';'. */
static bool valid_av(const char *v, size_t len)
{
	if (len > COOKIE_ATTR_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(rsp__ctype[(unsigned char)v[i]] & RSP__AVCHAR))
			return false;
	return true;
}

/* RFC 1034 letter-digit-hyphen labels, as RFC 6265 §4.1.2.3 asks. */
static bool valid_domain(const char *d, size_t len)
{
	if (len > 0 && d[0] == '.') {
		d++;
		len--;
	}
	if (len == 0 || len > 253)
		return false;
	size_t label = 0;
	for (size_t i = 0; i < len; i++) {
		if (d[i] == '.') {
			/* RFC 1034 §3.5: a label neither starts nor ends with '-'. */
			if (label == 0 || d[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!(rsp__ctype[(unsigned char)d[i]] & RSP__LDH) ||
		    ++label > 63)
			return false;
		if (label == 1 && d[i] == '-')
			return false;
	}
	return label > 0 && d[len - 1] != '-';
}

/* A comment may hold anything printable; only ';' and CTLs are refused. */
static bool valid_comment(const char *c, size_t len)
{
	if (len > COOKIE_ATTR_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)c[i];
		if (b == ';' || b < 0x20 || b == 0x7F)
			return false;
	}
	return true;
}

static bool has_prefix_ci(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return strlen(s) >= n && rsp__ieqn(s, n, prefix);
}

/* Why the attributes would make a browser drop the cookie, or NULL. */
static const char *check_attrs(const char *name, const char *path,
    const struct rsp_cookie *a)
{
	if (path != NULL && !valid_av(path, strlen(path)))
		return "Path holds ';' or a control byte, or is over 1024 bytes";
	if (a->domain != NULL && a->domain[0] != '\0' &&
	    !valid_domain(a->domain, strlen(a->domain)))
		return "Domain is not a host name of letter-digit-hyphen labels";
	if (a->comment != NULL &&
	    !valid_comment(a->comment, strlen(a->comment)))
		return "Comment holds ';' or a control byte, or is over 1024 bytes";
	if (a->has_max_age && a->max_age < 0)
		return "Max-Age is negative";
	if (a->samesite != NULL && strcmp(a->samesite, "Strict") != 0 &&
	    strcmp(a->samesite, "Lax") != 0 && strcmp(a->samesite, "None") != 0)
		return "SameSite must be Strict, Lax or None";
	/* Browsers drop these silently (RFC 6265bis §5.7, CHIPS). */
	if (a->samesite != NULL && strcmp(a->samesite, "None") == 0 &&
	    !a->secure)
		return "SameSite=None needs Secure";
	if (a->partitioned && !a->secure)
		return "Partitioned needs Secure";
	if (has_prefix_ci(name, "__Secure-") && !a->secure)
		return "a __Secure- cookie needs Secure";
	if (has_prefix_ci(name, "__Host-") &&
	    (!a->secure || (a->domain != NULL && a->domain[0] != '\0') ||
	        path == NULL || strcmp(path, "/") != 0))
		return "a __Host- cookie needs Secure, Path=/ and no Domain";
	return NULL;
}

/* ---- formatting -------------------------------------------------------- */

static int put(struct rsp_buffer *b, const char *s)
{
	return rsp__buf_append(b, s, strlen(s));
}

/* The reference's Morsel quoting: "..." with \" \\ and octal escapes. */
static int put_comment(struct rsp_buffer *b, const char *c)
{
	size_t len = strlen(c);
	if (rsp__is_token(c, len))
		return rsp__buf_append(b, c, len);
	int rc = put(b, "\"");
	for (size_t i = 0; rc == RSP_OK && i < len; i++) {
		unsigned char ch = (unsigned char)c[i];
		char esc[5];
		if (ch == '"' || ch == '\\') {
			esc[0] = '\\';
			esc[1] = (char)ch;
			rc = rsp__buf_append(b, esc, 2);
		} else if (ch >= 0x80) {
			snprintf(esc, sizeof(esc), "\\%03o", ch);
			rc = rsp__buf_append(b, esc, 4);
		} else {
			rc = rsp__buf_append(b, &c[i], 1);
		}
	}
	return rc == RSP_OK ? put(b, "\"") : rc;
}

static int format_cookie(struct rsp_buffer *b, const char *name,
    const char *value, const char *path, const struct rsp_cookie *a)
{
	char num[32], date[30];
	int rc = RSP_OK;

#define PUT(s)                            \
	do {                              \
		if (rc == RSP_OK)         \
			rc = put(b, (s)); \
	} while (0)
	PUT(name);
	PUT("=");
	PUT(value);
	if (a->comment != NULL && a->comment[0] != '\0') {
		PUT("; Comment=");
		if (rc == RSP_OK)
			rc = put_comment(b, a->comment);
	}
	if (a->domain != NULL && a->domain[0] != '\0') {
		PUT("; Domain=");
		PUT(a->domain);
	}
	if (a->has_expires) {
		if (rc == RSP_OK)
			rc = rsp__imf_fixdate(a->expires, date);
		PUT("; Expires=");
		PUT(date);
	}
	if (a->httponly)
		PUT("; HttpOnly");
	if (a->has_max_age) {
		snprintf(num, sizeof(num), "%lld", a->max_age);
		PUT("; Max-Age=");
		PUT(num);
	}
	if (path != NULL && path[0] != '\0') {
		PUT("; Path=");
		PUT(path);
	}
	if (a->samesite != NULL) {
		PUT("; SameSite=");
		PUT(a->samesite);
	}
	if (a->secure)
		PUT("; Secure");
	if (a->partitioned)
		PUT("; Partitioned");
#undef PUT
	return rc;
}

int rsp_set_cookie(rsp_response *res, const char *name, const char *value,
    const struct rsp_cookie *attrs)
{
	static const struct rsp_cookie defaults;
	struct rsp_cookie a = attrs ? *attrs : defaults;

	if (res == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	if (!valid_name(name))
		return rsp__refuse(r, RSP_EINVAL,
		    "cookie name is not a token, or is an attribute name");
	if (value == NULL) {
		/* Deleting: an empty value that expired yesterday, as the reference. */
		value = "";
		a.has_max_age = true;
		a.max_age = 0;
		a.has_expires = true;
		a.expires = time(NULL) - 86400;
	}
	size_t vlen = strlen(value);
	if (!valid_value(value, vlen))
		return rsp__refuse(r, RSP_EINVAL,
		    "cookie value holds a byte outside RFC 6265 cookie-octet");
	if (strlen(name) + vlen > COOKIE_PAIR_MAX)
		return rsp__refuse(r, RSP_EINVAL,
		    "cookie name and value over 4096 bytes");
	const char *path = a.path ? a.path : "/";
	const char *why = check_attrs(name, path, &a);
	if (why != NULL)
		return rsp__refuse(r, RSP_EINVAL, why);
	if (a.has_expires) {
		char date[30];
		if (rsp__imf_fixdate(a.expires, date) != RSP_OK)
			return rsp__refuse(r, RSP_EINVAL,
			    "Expires outside the years 1601..9999");
	}

	struct rsp_buffer *b = rsp__writer_scratch(res->writer);
	b->len = 0;
	int rc = format_cookie(b, name, value, path, &a);
	if (rc != RSP_OK)
		return rsp__refuse(r, rc, "out of memory");
	rc = rsp__headers_add(&r->headers, "Set-Cookie", 10, b->data, b->len,
	    false);
	b->len = 0;
	return rc;
}

/*
 * A browser replaces a cookie with the same name, domain and path (RFC
 * 6265bis 5.7); a prefixed name is only accepted with what the prefix
 * demands (Secure; for __Host- also Path=/ and no Domain), so the
 * deletion carries that too.  SameSite and Partitioned play no part in
 * matching an unpartitioned cookie.
 */
int rsp_delete_cookie(rsp_response *res, const char *name, const char *path,
    const char *domain)
{
	struct rsp_cookie a = { 0 };
	a.path = path;
	a.domain = domain;
	if (name != NULL &&
	    (has_prefix_ci(name, "__Secure-") ||
	        has_prefix_ci(name, "__Host-")))
		a.secure = true;
	return rsp_set_cookie(res, name, NULL, &a);
}

static void reverse(struct rsp__header *v, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		struct rsp__header t = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
}

/* Is this Set-Cookie value the cookie `name` (the bytes before its '=')? */
static bool cookie_is(const struct rsp__header *h, const char *name,
    size_t nlen)
{
	return h->value_len > nlen && h->value[nlen] == '=' &&
	    memcmp(h->value, name, nlen) == 0;
}

int rsp_unset_cookie(rsp_response *res, const char *name)
{
	if (res == NULL)
		return RSP_EINVAL;
	if (name == NULL || !rsp__is_token(name, strlen(name)))
		return rsp__refuse(rsp__res(res), RSP_EINVAL,
		    "cookie name is not a token");
	rsp_headers *h = rsp__res(res)->pub.headers;
	size_t nlen = strlen(name), first = h->n, kept = 0, i, end;

	for (i = 0; i < h->n; i++)
		if (rsp__ieqn(h->v[i].name, h->v[i].name_len, "Set-Cookie")) {
			first = i;
			break;
		}
	if (first == h->n)
		return RSP_OK;
	for (end = first; end < h->n &&
	     rsp__ieqn(h->v[end].name, h->v[end].name_len, "Set-Cookie");
	     end++)
		;
	for (i = first; i < end; i++)
		if (cookie_is(&h->v[i], name, nlen))
			break;
	if (i == end)
		return RSP_OK;

	/*
	 * Keep the other cookies byte for byte, and move their group to the end
	 * as the reference's delete-then-append does: compact, close the gap,
	 * then rotate in place, so nothing is allocated.
	 */
	for (i = first; i < end; i++)
		if (!cookie_is(&h->v[i], name, nlen))
			h->v[first + kept++] = h->v[i];
	size_t tail = h->n - end;
	memmove(&h->v[first + kept], &h->v[end], tail * sizeof(h->v[0]));
	h->n = first + kept + tail;
	reverse(h->v + first, kept);
	reverse(h->v + first + kept, tail);
	reverse(h->v + first, kept + tail);
	return RSP_OK;
}
