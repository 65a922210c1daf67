/*
 * auth.c - HTTP Basic credentials (RFC 7617) from HTTP_AUTHORIZATION:
 * the scheme in any case, strict RFC 4648 base64, split at the first ':'.
 * Decoded once per request, on the first rsp_request_auth call.
 */
#include "request_int.h"

#include <stddef.h>
#include <string.h>

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Strict RFC 4648 base64: the standard alphabet, a length that is a
 * multiple of four, '=' padding only at the end, zero unused bits.
 * Returns the decoded length, or -1.
 */
static ptrdiff_t b64_decode(const unsigned char *s, size_t n,
    unsigned char *out)
{
	unsigned char *o = out;
	if (n == 0 || n % 4 != 0)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		bool last = i + 4 == n;
		int a = b64val(s[i]), b = b64val(s[i + 1]);
		int c = b64val(s[i + 2]), d = b64val(s[i + 3]);
		if (a < 0 || b < 0)
			return -1;
		*o++ = (unsigned char)(a << 2 | b >> 4);
		if (c < 0) {
			if (!last || s[i + 2] != '=' || s[i + 3] != '=' ||
			    (b & 0x0f))
				return -1;
			break;
		}
		*o++ = (unsigned char)((b & 0x0f) << 4 | c >> 2);
		if (d < 0) {
			if (!last || s[i + 3] != '=' || (c & 0x03))
				return -1;
			break;
		}
		*o++ = (unsigned char)((c & 0x03) << 6 | d);
	}
	return o - out;
}

/* Decode the Authorization value h into req->user and req->pass (the lock
 * is held: a const getter fills this cache). */
static int auth_load(rsp_request *req, const char *h)
{
	if (h == NULL)
		return RSP_EINVAL;
	while (rsp__is_ws(*h))
		h++;
	/* The scheme, any case, then one or more spaces. */
	static const char scheme[] = "basic";
	for (size_t i = 0; i < 5; i++) {
		unsigned char c = (unsigned char)h[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 0x20);
		if (c != (unsigned char)scheme[i])
			return RSP_EINVAL;
	}
	if (h[5] != ' ')
		return RSP_EINVAL;
	const char *t = h + 5;
	while (*t == ' ')
		t++;
	size_t n = strlen(t);
	while (n > 0 && rsp__is_ws(t[n - 1]))
		n--;
	unsigned char *dec = rsp__arena_alloc(&req->arena, n / 4 * 3 + 1);
	if (dec == NULL)
		return RSP_ENOMEM;
	ptrdiff_t dl = b64_decode((const unsigned char *)t, n, dec);
	if (dl < 0)
		return RSP_EINVAL;
	unsigned char *colon = memchr(dec, ':', (size_t)dl);
	if (colon == NULL)
		return RSP_EINVAL;
	for (ptrdiff_t i = 0; i < dl; i++)
		if (dec[i] < 0x20 || dec[i] == 0x7f)
			return RSP_EINVAL;
	*colon = '\0';
	dec[dl] = '\0';
	req->user = (const char *)dec;
	req->pass = (const char *)colon + 1;
	return RSP_OK;
}

int rsp_request_auth(const rsp_request *creq, const char **user,
    const char **password)
{
	rsp_request *req = mut(creq);
	int rc = RSP_EINVAL;
	if (req != NULL) {
		if (!LOAD(&req->auth_done)) {
			const char *h = rsp__req_env(req, RSP__V_AUTH);
			lock(req);
			if (!req->auth_done) {
				req->auth_err = auth_load(req, h);
				STORE(&req->auth_done, true);
			}
			unlock(req);
		}
		rc = req->auth_err;
	}
	if (user != NULL)
		*user = rc == RSP_OK ? req->user : NULL;
	if (password != NULL)
		*password = rc == RSP_OK ? req->pass : NULL;
	return rc;
}
