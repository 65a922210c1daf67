/* jsonw_corpus.c - prints random JSON documents made with the streaming
 * writer, each followed by the same value as an independent Python
 * expression, for tests/jsonw.test to compare with json.loads. */
#include <respond.h>

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t seed = 88172645463325252ull;

static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static struct rsp_buffer expr;

static void ex(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void ex(const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	rsp_buffer_append(&expr, tmp, n);
}

/* A valid UTF-8 string with the awkward characters JSON must escape. */
static size_t rnd_string(char *s)
{
	static const char *const bits[] = { "a", "Z", " ", "\"", "\\", "/",
		"\n", "\r", "\t", "\b", "\f", "\x01", "\x1f", "\x7f",
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xe2\x80\xa8",
		"\xef\xbf\xbf", "<" };
	size_t n = 0, k = rnd() % 12;
	for (size_t i = 0; i < k; i++) {
		const char *b = bits[rnd() % (sizeof(bits) / sizeof(bits[0]))];
		memcpy(s + n, b, strlen(b));
		n += strlen(b);
	}
	return n;
}

static void py_string(const char *s, size_t n)
{
	ex("bytes.fromhex('");
	for (size_t i = 0; i < n; i++)
		ex("%02x", (unsigned char)s[i]);
	ex("').decode()");
}

static int value(rsp_jsonw *j, int depth, int *floats)
{
	char s[64];
	size_t n;
	int kind = (int)(rnd() % (depth > 4 ? 6 : 8));
	switch (kind) {
	case 0: {
		int64_t v = (int64_t)rnd() >> (rnd() % 64);
		ex("%" PRId64, v);
		return rsp_jsonw_int(j, v);
	}
	case 1: {
		uint64_t x = rnd();
		double v;
		memcpy(&v, &x, sizeof(v));
		if (!isfinite(v) || rnd() % 2)
			v = (double)(int64_t)(rnd() % 2000000 - 1000000) / 1000;
		*floats = 1;
		ex("float.fromhex('%a')", v);
		return rsp_jsonw_double(j, v);
	}
	case 2:
		n = rnd_string(s);
		py_string(s, n);
		return rsp_jsonw_string(j, s, (ssize_t)n);
	case 3:
		ex(rnd() % 2 ? "True" : "False");
		return rsp_jsonw_bool(j,
		    expr.data[expr.len - 1] == 'e' &&
		        expr.data[expr.len - 2] == 'u');
	case 4:
		ex("None");
		return rsp_jsonw_null(j);
	case 5:
		ex("[1, {'r': None}]");
		return rsp_jsonw_raw(j, "[1, {\"r\": null}]", -1);
	case 6: {
		int rc = rsp_jsonw_array_begin(j), k = (int)(rnd() % 5);
		ex("[");
		for (int i = 0; rc == 0 && i < k; i++) {
			rc = value(j, depth + 1, floats);
			ex(", ");
		}
		ex("]");
		return rc ? rc : rsp_jsonw_array_end(j);
	}
	default: {
		int rc = rsp_jsonw_object_begin(j), k = (int)(rnd() % 5);
		ex("{");
		for (int i = 0; rc == 0 && i < k; i++) {
			/* unique keys: a counter, then random text */
			n = (size_t)snprintf(s, sizeof(s), "%d", i);
			n += rnd_string(s + n);
			py_string(s, n);
			ex(": ");
			rc = rsp_jsonw_key(j, s, (ssize_t)n);
			if (rc == 0)
				rc = value(j, depth + 1, floats);
			ex(", ");
		}
		ex("}");
		return rc ? rc : rsp_jsonw_object_end(j);
	}
	}
}

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 1000;
	for (int i = 0; i < count; i++) {
		struct rsp_buffer doc = { 0 };
		rsp_jsonw *j = rsp_jsonw_new_buffer(&doc);
		int floats = 0;
		expr.len = 0;
		if (j == NULL || value(j, 0, &floats) != 0 ||
		    rsp_jsonw_end(j) != 0) {
			fprintf(stderr,
			    "jsonw_corpus: document %d refused: %s\n", i,
			    rsp_jsonw_reason(j));
			return 1;
		}
		/* one line each: exact-bytes flag, the document, the expression */
		printf("%d\n%.*s\n%.*s\n", !floats, (int)doc.len, doc.data,
		    (int)expr.len, expr.data);
		rsp_jsonw_free(j);
		rsp_buffer_free(&doc);
	}
	rsp_buffer_free(&expr);
	return 0;
}
