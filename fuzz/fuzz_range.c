/*
 * fuzz_range.c - libFuzzer target for the Range and precondition parsers:
 * the input is split at newlines into a Range value, an If-Range value,
 * the four precondition fields and an HTTP-date, plus a content size.
 * Checked: ranges lie inside the content, in bounds, never overlapping and
 * never more than RSP_MAX_RANGES; a parsed date formats and parses back to
 * itself; the verdict is 0, 304 or 412 (304 only for GET and HEAD); and a
 * whole response built from the same fields announces exactly the bytes it
 * sends.
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_range"
#include "fuzz.h"

#define NFIELDS 7
enum { F_RANGE, F_IF_RANGE, F_IM, F_IUS, F_INM, F_IMS, F_DATE };

static void check_ranges(const char *s, size_t len, uint64_t csize)
{
	struct rsp__range v[RSP_MAX_RANGES];
	int n = rsp__range_parse(s, len, csize, v);
	if (n < RSP__RANGE_IGNORE || n > RSP_MAX_RANGES)
		FAIL("%d ranges", n);
	for (int i = 0; i < n; i++) {
		if (v[i].first > v[i].last || v[i].last >= csize)
			FAIL("range %llu-%llu of %llu",
			    (unsigned long long)v[i].first,
			    (unsigned long long)v[i].last,
			    (unsigned long long)csize);
		for (int j = i + 1; j < n; j++)
			if (v[i].first <= v[j].last && v[j].first <= v[i].last)
				FAIL("overlap");
	}
}

static void check_date(const char *s, size_t len)
{
	time_t t, u;
	char out[30];
	if (rsp__parse_http_date(s, len, 1764633600, &t) != RSP_OK)
		return;
	if (rsp__imf_fixdate(t, out) != RSP_OK)
		return; /* a year an IMF-fixdate cannot show */
	if (rsp__parse_http_date(out, 29, 1764633600, &u) != RSP_OK || u != t)
		FAIL("date %.*s -> %s does not parse back", (int)len, s, out);
}

static char *env_of(const char *name, const char *v)
{
	size_t n = strlen(name), m = strlen(v);
	char *e = malloc(n + m + 2);
	if (e == NULL)
		abort();
	memcpy(e, name, n);
	e[n] = '=';
	memcpy(e + n + 1, v, m + 1);
	return e;
}

static void check_response(char *f[NFIELDS], bool head, size_t csize)
{
	static const char *const names[] = { "HTTP_RANGE", "HTTP_IF_RANGE",
		"HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
		"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE" };
	char *env[8];
	size_t n = 0;
	env[n++] = env_of("REQUEST_METHOD", head ? "HEAD" : "GET");
	for (size_t i = 0; i < 6; i++)
		env[n++] = env_of(names[i], f[i]);
	env[n] = NULL;
	struct rsp_buffer out = { NULL, 0, 0 };
	rsp_request *req = rsp_request_from_memory(env, NULL, 0);
	rsp_response *res =
	    req ? rsp_response_new(req, rsp_sink_buffer(&out)) : NULL;
	if (res != NULL) {
		char *content = malloc(csize + 1);
		if (content == NULL)
			abort();
		for (size_t i = 0; i < csize; i++)
			content[i] = (char)('a' + i % 26);
		rsp_headers_set(res->headers, "Content-Type", "text/plain");
		int rc = rsp_check_preconditions(res, "\"v1\"", 784111777);
		if (rc != 0 && rc != 304 && rc != 412)
			FAIL("preconditions: %d", rc);
		if (rc == 0 &&
		    rsp_set_content(res, content, (ssize_t)csize) == RSP_OK) {
			rc = rsp_apply_range(res);
			if (rc != 0 && rc != 206 && rc != 416)
				FAIL("range: %d", rc);
		}
		if (rsp_finish(res) != RSP_OK)
			FAIL("finish failed");
		/* The body is exactly what Content-Length announced. */
		const char *cl =
		    rsp_headers_get(res->headers, "Content-Length");
		char *end =
		    out.data ? memmem(out.data, out.len, "\r\n\r\n", 4) : NULL;
		if (cl != NULL && end != NULL && !head) {
			size_t body = out.len - (size_t)(end + 4 - out.data);
			if (strtoull(cl, NULL, 10) != body)
				FAIL("Content-Length %s for %zu bytes", cl,
				    body);
		}
		free(content);
	}
	rsp_response_free(res);
	rsp_request_free(req);
	rsp_buffer_free(&out);
	for (size_t i = 0; i < n; i++)
		free(env[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t csize = data[0] * 4u; /* the content: up to 1020 bytes */
	bool head = data[1] & 1;
	data += 2;
	size -= 2;
	char *copy = malloc(size + 1);
	if (copy == NULL)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	char *f[NFIELDS];
	char *p = copy;
	for (int i = 0; i < NFIELDS; i++) {
		f[i] = p;
		char *nl = p ? strchr(p, '\n') : NULL;
		if (nl != NULL) {
			*nl = '\0';
			p = nl + 1;
		} else {
			p = NULL;
		}
		if (f[i] == NULL)
			f[i] = (char *)"";
	}
	/* The parsers see the bytes as they are, NULs included. */
	check_ranges((const char *)data, size, csize);
	check_ranges(f[F_RANGE], strlen(f[F_RANGE]), (uint64_t)csize << 40);
	check_date((const char *)data, size);
	check_date(f[F_DATE], strlen(f[F_DATE]));
	const char *methods[] = { "GET", "HEAD", "POST", "PUT" };
	for (int m = 0; m < 4; m++) {
		int v = rsp__preconditions(methods[m],
		    f[F_IM][0] ? f[F_IM] : NULL, f[F_IUS][0] ? f[F_IUS] : NULL,
		    f[F_INM][0] ? f[F_INM] : NULL,
		    f[F_IMS][0] ? f[F_IMS] : NULL,
		    f[F_DATE][0] ? f[F_DATE] : NULL, 784111777, 1764633600);
		if (v != 0 && v != 412 && !(v == 304 && m < 2))
			FAIL("verdict %d for %s", v, methods[m]);
	}
	check_response(f, head, csize);
	free(copy);
	return 0;
}
