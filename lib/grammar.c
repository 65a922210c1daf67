/*
 * grammar.c - the byte classes of RFC 9110 (token, field value) and RFC 6265
 * (cookie-octet, attribute value) as one read-only table, and the small
 * string helpers every validator uses.  Validation is a table lookup a byte.
 */
#include "internal.h"

#include <string.h>

/*
 * Bits: 1 tchar, 2 field-value byte (HTAB, SP, VCHAR, obs-text),
 * 4 cookie-octet, 8 cookie attribute byte (0x20-0x7E but ';'),
 * 16 letter/digit/hyphen.
 */
/* clang-format off */
const unsigned char rsp__ctype[256] = {
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  2,  0,  0,  0,  0,  0,  0,  /* 0x00 */
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  /* 0x10 */
	10, 15, 10, 15, 15, 15, 15, 15, 14, 14, 15, 15, 10, 31, 15, 14,  /* 0x20 */
	31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 14,  2, 14, 14, 14, 14,  /* 0x30 */
	14, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31,  /* 0x40 */
	31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 14, 10, 14, 15, 15,  /* 0x50 */
	15, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31,  /* 0x60 */
	31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 14, 15, 14, 15,  0,  /* 0x70 */
	 2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  /* 0x80 */
	 2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  /* 0x90 */
	 2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  /* 0xa0 */
	 2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  /* 0xb0 */
	 2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  /* 0xc0 */
	 2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  /* 0xd0 */
	 2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  /* 0xe0 */
	 2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  /* 0xf0 */
};
/* clang-format on */

size_t rsp__len(const void *data, ssize_t len)
{
	if (len >= 0)
		return (size_t)len;
	return data ? strlen(data) : 0;
}

bool rsp__is_token(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(rsp__ctype[(unsigned char)s[i]] & RSP__TCHAR))
			return false;
	return true;
}

bool rsp__is_field_value(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!(rsp__ctype[(unsigned char)s[i]] & RSP__VCHAR))
			return false;
	return true;
}

static inline unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

bool rsp__ieq(const char *a, const char *b)
{
	for (;; a++, b++) {
		if (lower((unsigned char)*a) != lower((unsigned char)*b))
			return false;
		if (*a == '\0')
			return true;
	}
}

/* Does the counted string a equal the NUL-terminated b, ignoring case? */
bool rsp__ieqn(const char *a, size_t alen, const char *b)
{
	for (size_t i = 0; i < alen; i++, b++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)*b;
		if (y == '\0')
			return false;
		/* Names are usually spelt the same: fold only where they differ. */
		if (x != y && lower(x) != lower(y))
			return false;
	}
	return *b == '\0';
}

size_t rsp__escape_log(char *out, size_t cap, const void *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = data;
	size_t o = 0;
	if (cap == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		bool plain = c >= 0x20 && c < 0x7f && c != '\\';
		size_t need = plain ? 1 : 4;
		/* Room for this byte and for "..." should the text go on. */
		if (o + need + (i + 1 < len ? 3 : 0) >= cap) {
			if (o + 3 < cap) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return o;
}

/* By hand rather than strrchr and strncmp: every CGI start asks, and each
 * libc function a process calls for the first time costs a symbol binding
 * that is dearer than this loop. */
bool rsp__nph_name(const char *path)
{
	if (path == NULL)
		return false;
	const char *base = path;
	for (const char *p = path; *p != '\0'; p++)
		if (*p == '/')
			base = p + 1;
	return base[0] == 'n' && base[1] == 'p' && base[2] == 'h' &&
	    base[3] == '-';
}
