/*
 * fuzz_json.c - libFuzzer target for rsp_json_string: the output must be one
 * strict, pure-ASCII JSON string literal whose escapes decode back to the
 * input with each maximal invalid UTF-8 subpart replaced by U+FFFD.
 */
#include "respond.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_json"
#include "fuzz.h"

/*
 * Independent UTF-8 decoder (Unicode 15 section 3.9, "U+FFFD substitution of
 * maximal subparts", which is what Python's errors="replace" does).
 */
static size_t expect_decode(const uint8_t *s, size_t n, uint32_t *out)
{
	size_t i = 0, k = 0;
	while (i < n) {
		uint8_t c = s[i];
		uint32_t cp;
		size_t need;
		uint8_t lo = 0x80, hi = 0xBF;
		if (c < 0x80) {
			out[k++] = c;
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
			if (c == 0xE0)
				lo = 0xA0;
			if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
			if (c == 0xF0)
				lo = 0x90;
			if (c == 0xF4)
				hi = 0x8F;
		} else {
			out[k++] = 0xFFFD;
			i++;
			continue;
		}
		size_t j = 1;
		for (; j <= need; j++) {
			if (i + j >= n)
				break;
			uint8_t b = s[i + j];
			uint8_t l = j == 1 ? lo : 0x80, h = j == 1 ? hi : 0xBF;
			if (b < l || b > h)
				break;
			cp = (cp << 6) | (b & 0x3F);
		}
		if (j > need) {
			out[k++] = cp;
			i += need + 1;
		} else {
			out[k++] = 0xFFFD;
			i += j; /* the maximal subpart: lead + valid trail */
		}
	}
	return k;
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Strict validator of one JSON string literal (RFC 8259 section 7) filling
 * the code points it denotes; surrogate escapes must pair up.  Also checks
 * Python's ensure_ascii form: lower-case hex, the short escapes for
 * \b \f \n \r \t, printable ASCII other than " and \ unescaped.
 */
static size_t json_decode(const uint8_t *s, size_t n, uint32_t *out)
{
	size_t k = 0;
	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		FAIL("not a quoted string (len %zu)", n);
	for (size_t i = 1; i < n - 1;) {
		uint8_t c = s[i];
		if (c >= 0x80)
			FAIL("non-ASCII byte 0x%02x at %zu", c, i);
		if (c < 0x20 || c == 0x7F)
			FAIL("raw control byte 0x%02x at %zu", c, i);
		if (c == '"')
			FAIL("unescaped quote at %zu", i);
		if (c != '\\') {
			out[k++] = c;
			i++;
			continue;
		}
		if (i + 1 >= n - 1)
			FAIL("dangling backslash at %zu", i);
		uint8_t e = s[i + 1];
		static const char shorts[] = "\"\\/bfnrt";
		static const uint32_t vals[] = { '"', '\\', '/', 8, 12, 10, 13,
			9 };
		const char *p = e != 0 ? strchr(shorts, e) : NULL;
		if (p != NULL) {
			if (e == '/')
				FAIL("Python never escapes '/'");
			out[k++] = vals[p - shorts];
			i += 2;
			continue;
		}
		if (e != 'u')
			FAIL("bad escape \\%c at %zu", e, i);
		if (i + 6 > n - 1)
			FAIL("short \\u escape at %zu", i);
		uint32_t v = 0;
		for (size_t j = 2; j < 6; j++) {
			int h = hexval(s[i + j]);
			if (h < 0)
				FAIL("bad hex digit at %zu", i + j);
			if (s[i + j] >= 'A' && s[i + j] <= 'F')
				FAIL("upper-case hex at %zu", i + j);
			v = (v << 4) | (uint32_t)h;
		}
		i += 6;
		if (v >= 0x20 && v < 0x7F)
			FAIL("printable ASCII U+%04X escaped", v);
		if (v == 8 || v == 9 || v == 10 || v == 12 || v == 13)
			FAIL("U+%04X escaped as \\u, not its short form", v);
		if (v >= 0xDC00 && v <= 0xDFFF)
			FAIL("lone low surrogate at %zu", i - 6);
		if (v >= 0xD800 && v <= 0xDBFF) {
			if (i + 6 > n - 1 || s[i] != '\\' || s[i + 1] != 'u')
				FAIL("high surrogate without a low one at %zu",
				    i - 6);
			uint32_t w = 0;
			for (size_t j = 2; j < 6; j++) {
				int h = hexval(s[i + j]);
				if (h < 0 ||
				    (s[i + j] >= 'A' && s[i + j] <= 'F'))
					FAIL("bad hex digit at %zu", i + j);
				w = (w << 4) | (uint32_t)h;
			}
			if (w < 0xDC00 || w > 0xDFFF)
				FAIL("high surrogate followed by U+%04X", w);
			v = 0x10000 + ((v - 0xD800) << 10) + (w - 0xDC00);
			i += 6;
		}
		out[k++] = v;
	}
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rsp_buffer out = { 0 };
	/* Some text before, to check that rsp_json_string appends. */
	if (rsp_buffer_append(&out, "x:", 2) != RSP_OK)
		abort();
	if (rsp_json_string(&out, data, (ssize_t)size) != RSP_OK)
		FAIL("rsp_json_string failed");
	if (out.len < 4 || memcmp(out.data, "x:", 2) != 0)
		FAIL("prefix lost");

	uint32_t *want = malloc((size + 1) * sizeof(*want));
	uint32_t *got = malloc((out.len + 1) * sizeof(*got));
	if (want == NULL || got == NULL)
		abort();
	size_t nw = expect_decode(data, size, want);
	size_t ng =
	    json_decode((const uint8_t *)out.data + 2, out.len - 2, got);
	if (nw != ng)
		FAIL("%zu code points expected, %zu decoded", nw, ng);
	for (size_t i = 0; i < nw; i++)
		if (want[i] != got[i])
			FAIL("code point %zu: U+%04X expected, U+%04X decoded",
			    i, want[i], got[i]);

	/* A NUL-terminated call (len -1) gives the prefix up to the first NUL. */
	const uint8_t *nul = memchr(data, 0, size);
	size_t plen = nul != NULL ? (size_t)(nul - data) : size;
	char *cs = malloc(plen + 1);
	struct rsp_buffer o2 = { 0 }, o3 = { 0 };
	if (cs == NULL)
		abort();
	memcpy(cs, data, plen);
	cs[plen] = '\0';
	if (rsp_json_string(&o2, cs, -1) != RSP_OK ||
	    rsp_json_string(&o3, data, (ssize_t)plen) != RSP_OK)
		FAIL("rsp_json_string failed on the prefix");
	if (o2.len != o3.len || memcmp(o2.data, o3.data, o2.len) != 0)
		FAIL("len -1 and explicit length differ");
	free(cs);
	rsp_buffer_free(&o2);
	rsp_buffer_free(&o3);
	free(want);
	free(got);
	rsp_buffer_free(&out);
	return 0;
}
