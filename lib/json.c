/*
 * json.c - JSON string escaping with exactly the bytes of Python's
 * json.dumps(ensure_ascii=True): what rsp_set_error sends, so a C handler's
 * error body matches wptserve's.  Invalid UTF-8 becomes U+FFFD.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static const char hexdig[] = "0123456789abcdef";

static void put_u(char *p, unsigned v)
{
	p[0] = '\\';
	p[1] = 'u';
	p[2] = hexdig[(v >> 12) & 0xF];
	p[3] = hexdig[(v >> 8) & 0xF];
	p[4] = hexdig[(v >> 4) & 0xF];
	p[5] = hexdig[v & 0xF];
}

/* The letter of json.dumps's two-character escape for c, or 0 (then c
 * is written as its UTF-16 code units in hex). */
static char short_escape(unsigned char c)
{
	/* clang-format off */
	switch (c) {
	case '"':  return '"';
	case '\\': return '\\';
	case '\n': return 'n';
	case '\r': return 'r';
	case '\t': return 't';
	case '\b': return 'b';
	case '\f': return 'f';
	default:   return 0;
	}
	/* clang-format on */
}

int rsp__json_escape(struct rsp_buffer *out, const unsigned char *s, size_t len)
{
	size_t start = out->len;
	size_t i = 0;

	while (i < len) {
		/* Copy the longest run that needs no escaping in one go. */
		size_t run = i;
		while (run < len && s[run] >= 0x20 && s[run] < 0x7F &&
		    s[run] != '"' && s[run] != '\\')
			run++;
		if (run > i) {
			if (rsp__buf_append(out, s + i, run - i) != RSP_OK)
				goto nomem;
			i = run;
			continue;
		}
		char esc[12];
		size_t n = 2;
		unsigned char c = s[i];
		esc[0] = '\\';
		if ((esc[1] = short_escape(c)) != 0) {
			i++;
		} else {
			size_t adv = 1;
			int32_t cp = c < 0x80
			    ? c
			    : rsp__utf8_decode(s + i, len - i, &adv);
			if (cp < 0)
				cp = 0xFFFD;
			i += adv;
			if (cp > 0xFFFF) {
				cp -= 0x10000;
				put_u(esc, 0xD800 | (unsigned)(cp >> 10));
				put_u(esc + 6, 0xDC00 | (unsigned)(cp & 0x3FF));
				n = 12;
			} else {
				put_u(esc, (unsigned)cp);
				n = 6;
			}
		}
		if (rsp__buf_append(out, esc, n) != RSP_OK)
			goto nomem;
	}
	return RSP_OK;
nomem:
	out->len = start;
	return RSP_ENOMEM;
}

int rsp_json_string(struct rsp_buffer *out, const void *s, ssize_t len)
{
	if (out == NULL || (s == NULL && len != 0))
		return RSP_EINVAL;
	size_t n = s ? rsp__len(s, len) : 0;
	size_t start = out->len;
	if (rsp__buf_reserve(out, n + 2) != RSP_OK)
		return RSP_ENOMEM;
	out->data[out->len++] = '"';
	if (rsp__json_escape(out, s, n) != RSP_OK ||
	    rsp__buf_append(out, "\"", 1) != RSP_OK) {
		out->len = start;
		return RSP_ENOMEM;
	}
	return RSP_OK;
}
