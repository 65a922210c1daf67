/*
 * disposition.c - Content-Disposition (RFC 6266) with a file name: a plain
 * quoted filename every user agent reads, and for anything beyond printable
 * ASCII an RFC 8187 filename*=UTF-8''... next to an ASCII fallback.
 */
#include "internal.h"

#include <string.h>

/* RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~" go out as they are. */
static bool attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != 0 && strchr("!#$&+-.^_`|~", c) != NULL);
}

/* Kept in the quoted fallback: printable ASCII but for the quote and
 * backslash (user agents disagree on quoted-pair) and '%' (some decode
 * it). */
static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%';
}

static int build(struct rsp_buffer *b, const char *type, const unsigned char *n,
    size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	bool all_plain = true;
	int rc = rsp__buf_append(b, type, strlen(type));
	if (rc == RSP_OK)
		rc = rsp__buf_append(b, "; filename=\"", 12);
	for (size_t i = 0, adv; rc == RSP_OK && i < len; i += adv) {
		adv = 1;
		if (n[i] >= 0x80) {
			rsp__utf8_decode(n + i, len - i, &adv);
			all_plain = false;
			rc = rsp__buf_append(b, "_", 1);
		} else if (plain(n[i])) {
			rc = rsp__buf_append(b, n + i, 1);
		} else {
			all_plain = false;
			rc = rsp__buf_append(b, "_", 1);
		}
	}
	if (rc == RSP_OK)
		rc = rsp__buf_append(b, "\"", 1);
	if (all_plain || rc != RSP_OK)
		return rc;
	rc = rsp__buf_append(b, "; filename*=UTF-8''", 19);
	for (size_t i = 0; rc == RSP_OK && i < len; i++) {
		char esc[3] = { '%', hex[n[i] >> 4], hex[n[i] & 15] };
		rc = attr_char(n[i]) ? rsp__buf_append(b, n + i, 1)
		                     : rsp__buf_append(b, esc, 3);
	}
	return rc;
}

int rsp_content_disposition(rsp_response *res, const char *type,
    const char *filename)
{
	if (res == NULL || type == NULL || !rsp__is_token(type, strlen(type)))
		return RSP_EINVAL;
	if (filename == NULL)
		return rsp_headers_set(res->headers, "Content-Disposition",
		    type);
	const unsigned char *n = (const unsigned char *)filename;
	size_t len = strlen(filename);
	if (len == 0)
		return RSP_EINVAL;
	for (size_t i = 0; i < len; i++)
		if (n[i] < 0x20 || n[i] == 0x7f)
			return RSP_EINVAL;
	if (!rsp__utf8_valid(n, len))
		return RSP_ECHARSET;
	struct rsp_buffer b = { NULL, 0, 0 };
	int rc = build(&b, type, n, len);
	if (rc == RSP_OK)
		rc = rsp__buf_append(&b, "", 1);
	if (rc == RSP_OK)
		rc = rsp_headers_set(res->headers, "Content-Disposition",
		    b.data);
	rsp_buffer_free(&b);
	return rc;
}
