/*
 * fuzz_jsonw.c - libFuzzer target for the streaming JSON writer: each input
 * byte is a call; an independent model of the nesting predicts which calls
 * are refused, a refused call must leave the output unchanged, an accepted
 * one only appends, and a completed document has balanced brackets
 * outside its strings.
 */
#include "respond.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_jsonw"
#include "fuzz.h"

/* The model: a stack of 'o'/'a', a key pending, the document complete. */
struct model {
	char st[80];
	int depth;
	int keyed;
	int done;
};

enum kind { K_OPEN, K_CLOSE_O, K_CLOSE_A, K_KEY, K_VALUE, K_END, K_BAD };

static int expect(struct model *m, enum kind k, int object)
{
	switch (k) {
	case K_KEY:
		if (m->depth == 0 || m->st[m->depth - 1] != 'o' || m->keyed)
			return RSP_ESTATE;
		m->keyed = 1;
		return RSP_OK;
	case K_CLOSE_O:
	case K_CLOSE_A: {
		char want = k == K_CLOSE_O ? 'o' : 'a';
		if (m->depth == 0 || m->st[m->depth - 1] != want || m->keyed)
			return RSP_ESTATE;
		if (--m->depth == 0)
			m->done = 1;
		return RSP_OK;
	}
	case K_END:
		return m->done ? RSP_OK : RSP_ESTATE;
	case K_BAD:
		return RSP_EINVAL;
	case K_OPEN:
	case K_VALUE:
		if (m->done)
			return RSP_ESTATE;
		if (m->depth > 0 && m->st[m->depth - 1] == 'o' && !m->keyed)
			return RSP_ESTATE;
		if (k == K_OPEN && m->depth == 64)
			return RSP_ELIMIT;
		m->keyed = 0;
		if (k == K_OPEN)
			m->st[m->depth++] = object ? 'o' : 'a';
		else if (m->depth == 0)
			m->done = 1;
		return RSP_OK;
	}
	return RSP_EINVAL;
}

static void balanced(const char *s, size_t n)
{
	int depth = 0, in = 0;
	for (size_t i = 0; i < n; i++) {
		if (in) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in = 0;
			else if ((unsigned char)s[i] < 0x20 ||
			    (unsigned char)s[i] > 0x7e)
				FAIL("raw byte 0x%02x inside a string",
				    (unsigned char)s[i]);
			continue;
		}
		if (s[i] == '"')
			in = 1;
		else if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
			depth--;
		if (depth < 0)
			FAIL("unbalanced close at %zu", i);
	}
	if (depth != 0 || in)
		FAIL("unbalanced document");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rsp_buffer b = { 0 };
	rsp_jsonw *j = rsp_jsonw_new_buffer(&b);
	struct model m = { .depth = 0 };
	char *before = malloc(size * 64 + 64);
	if (j == NULL || before == NULL)
		abort();
	for (size_t i = 0; i < size; i++) {
		uint8_t c = data[i];
		const char *text = (const char *)data + i + 1;
		size_t tlen = (size - i - 1) < (size_t)(c >> 4)
		    ? size - i - 1
		    : (size_t)(c >> 4);
		size_t blen = b.len;
		memcpy(before, b.data ? b.data : "", blen);
		enum kind k;
		int rc, object = 0;
		double d;
		switch (c & 15) {
		case 0:
			k = K_OPEN;
			object = 1;
			rc = rsp_jsonw_object_begin(j);
			break;
		case 1:
			k = K_CLOSE_O;
			rc = rsp_jsonw_object_end(j);
			break;
		case 2:
			k = K_OPEN;
			rc = rsp_jsonw_array_begin(j);
			break;
		case 3:
			k = K_CLOSE_A;
			rc = rsp_jsonw_array_end(j);
			break;
		case 4:
			k = K_KEY;
			rc = rsp_jsonw_key(j, text, (ssize_t)tlen);
			i += tlen;
			break;
		case 5:
			k = K_VALUE;
			rc = rsp_jsonw_string(j, text, (ssize_t)tlen);
			i += tlen;
			break;
		case 6:
			k = K_VALUE;
			rc = rsp_jsonw_int(j, (int64_t)((uint64_t)c << 56 | i));
			break;
		case 7:
			if (size - i - 1 < 8) {
				k = K_VALUE;
				rc = rsp_jsonw_double(j, 0.25);
				break;
			}
			memcpy(&d, text, 8);
			i += 8;
			k = isfinite(d) ? K_VALUE : K_BAD;
			rc = rsp_jsonw_double(j, d);
			break;
		case 8:
			k = K_VALUE;
			rc = rsp_jsonw_bool(j, c & 16);
			break;
		case 9:
			k = K_VALUE;
			rc = rsp_jsonw_null(j);
			break;
		case 10:
			k = K_VALUE;
			rc = rsp_jsonw_raw(j, "[1]", -1);
			break;
		case 11:
			k = K_BAD;
			rc = rsp_jsonw_raw(j, "", 0);
			break;
		default:
			k = K_END;
			rc = rsp_jsonw_end(j);
			break;
		}
		int want = expect(&m, k, object);
		if (rc != want)
			FAIL("call %zu (op %d): got %d, the model says %d (%s)",
			    i, c & 15, rc, want, rsp_jsonw_reason(j));
		if (rc != RSP_OK && b.len != blen)
			FAIL("a refused call changed the length");
		if (b.len < blen ||
		    memcmp(before, b.data ? b.data : "", blen) != 0)
			FAIL("an accepted call changed earlier output");
	}
	if (m.done)
		balanced(b.data, b.len);
	free(before);
	rsp_jsonw_free(j);
	rsp_buffer_free(&b);
	return 0;
}
