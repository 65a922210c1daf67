/*
 * encoding.c - the response encoding: a strict UTF-8 decoder (shared with
 * the JSON escaper) and conversion of UTF-8 text to the response charset
 * through iconv, which is opened only when the charset is not UTF-8.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * Decode one code point at s (len > 0).  Returns it, or -1 for an invalid
 * sequence; *adv is how many bytes to consume either way.  On error that is
 * the maximal subpart of a valid sequence (at least 1 byte), which is how
 * Python's errors="replace" and WHATWG's decoder count U+FFFDs.
 */
int32_t rsp__utf8_decode(const unsigned char *s, size_t len, size_t *adv)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need;
	int32_t cp;

	*adv = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F; /* nothing above U+10FFFF */
	} else {
		return -1;
	}
	for (size_t i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*adv = i;
			return -1;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*adv = need + 1;
	return cp;
}

bool rsp__utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0, adv;
	while (i < len) {
		/* ASCII runs are the common case: skip them a byte at a time. */
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (rsp__utf8_decode(s + i, len - i, &adv) < 0)
			return false;
		i += adv;
	}
	return true;
}

static bool is_utf8_name(const char *n)
{
	return rsp__ieq(n, "utf-8") || rsp__ieq(n, "utf8");
}

void rsp__encoding_init(struct rsp__encoding *e)
{
	snprintf(e->name, sizeof(e->name), "%s", "utf-8");
	e->utf8 = true;
	e->cd = (iconv_t)-1;
}

void rsp__encoding_free(struct rsp__encoding *e)
{
	if (e->cd != (iconv_t)-1)
		iconv_close(e->cd);
	rsp__encoding_init(e);
}

int rsp__encoding_set(struct rsp__encoding *e, const char *charset)
{
	size_t len = charset == NULL ? 0 : strlen(charset);
	if (len == 0 || len >= sizeof(e->name))
		return RSP_ECHARSET;
	if (is_utf8_name(charset)) {
		rsp__encoding_free(e);
		memcpy(e->name, charset, len + 1);
		return RSP_OK;
	}
	iconv_t cd = iconv_open(charset, "UTF-8");
	if (cd == (iconv_t)-1)
		return RSP_ECHARSET;
	rsp__encoding_free(e);
	memcpy(e->name, charset, len + 1);
	e->utf8 = false;
	e->cd = cd;
	return RSP_OK;
}

int rsp__encode(struct rsp__encoding *e, const char *text, size_t len,
    struct rsp_buffer *out)
{
	if (!rsp__utf8_valid((const unsigned char *)text, len))
		return RSP_ECHARSET;
	if (e->utf8)
		return rsp__buf_append(out, text, len);

	size_t start = out->len;
	char *in = (char *)text;
	size_t inleft = len;
	iconv(e->cd, NULL, NULL, NULL, NULL);
	for (;;) {
		/* Most charsets need at most 4 bytes per UTF-8 byte. */
		size_t want = inleft * 4 + 16;
		if (rsp__buf_reserve(out, want) != RSP_OK) {
			out->len = start;
			return RSP_ENOMEM;
		}
		char *op = out->data + out->len;
		size_t outleft = out->cap - out->len;
		size_t r =
		    iconv(e->cd, inleft ? &in : NULL, &inleft, &op, &outleft);
		out->len = (size_t)(op - out->data);
		if (r == 0 && inleft == 0) {
			/* Flush any shift state (stateful charsets such as ISO-2022). */
			if (rsp__buf_reserve(out, 16) != RSP_OK) {
				out->len = start;
				return RSP_ENOMEM;
			}
			op = out->data + out->len;
			outleft = out->cap - out->len;
			if (iconv(e->cd, NULL, NULL, &op, &outleft) ==
			    (size_t)-1) {
				out->len = start;
				return RSP_ECHARSET;
			}
			out->len = (size_t)(op - out->data);
			return RSP_OK;
		}
		if (r == (size_t)-1 && errno == E2BIG)
			continue;
		/* EILSEQ (cannot represent), EINVAL, or a lossy conversion. */
		out->len = start;
		return RSP_ECHARSET;
	}
}
