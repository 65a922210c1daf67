/*
 * fuzz_route.c - libFuzzer target for the routing table: the input's first
 * line is "METHOD URI", each further line "METHOD PATTERN".  A table that
 * compiles must route every request to one of its answers (a handler, 204,
 * 400, 404, 405, 414) without allocating surprises, with every {name}
 * parameter of the route that matched present and non-empty.  The same
 * request with one byte of its path percent-encoded (so that it cannot be
 * found by its raw text) must have the same answer.
 */
#define _POSIX_C_SOURCE 200809L
#include "respond.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_route"
#include "fuzz.h"

/* What the handler saw: its pattern and {name} values ("*" is the raw
 * text, which encoding changes), "" when none ran. */
static char seen[4096];
static int called;

static int handler(rsp_request *req, rsp_response *res, void *arg)
{
	const char *pat = rsp_route_pattern(req);
	(void)res;
	called = 1;
	if (pat == NULL || strcmp(pat, (const char *)arg) != 0)
		FAIL("pattern %s, expected %s", pat ? pat : "(null)",
		    (const char *)arg);
	snprintf(seen, sizeof(seen), "%s", pat);
	/* every {name} has a non-empty value, * has one */
	for (const char *p = pat; (p = strchr(p, '{')) != NULL; p++) {
		char name[80];
		size_t n = strcspn(p + 1, "}");
		if (n >= sizeof(name))
			continue;
		memcpy(name, p + 1, n);
		name[n] = '\0';
		const char *v = rsp_route_param(req, name);
		if (v == NULL || *v == '\0')
			FAIL("%s: parameter %s missing", pat, name);
		size_t used = strlen(seen);
		snprintf(seen + used, sizeof(seen) - used, " %s=%s", name, v);
	}
	size_t pl = strlen(pat);
	if (pl >= 2 && pat[pl - 1] == '*' && pat[pl - 2] == '/' &&
	    rsp_route_param(req, "*") == NULL)
		FAIL("%s: * missing", pat);
	return 0;
}

/*
 * Dispatch METHOD URI through rt; the status, and in out what answered:
 * the handler's pattern and values, or the Allow header.
 */
static int route_once(rsp_router *rt, const char *method, const char *uri,
    char *out, size_t outlen)
{
	char *env[3];
	size_t ml = strlen(method), ul = strlen(uri);
	env[0] = malloc(ml + 16);
	env[1] = malloc(ul + 16);
	env[2] = NULL;
	if (env[0] == NULL || env[1] == NULL)
		abort();
	snprintf(env[0], ml + 16, "REQUEST_METHOD=%s", method);
	snprintf(env[1], ul + 16, "REQUEST_URI=%s", uri);
	struct rsp_buffer buf = { 0 };
	rsp_request *req = rsp_request_from_memory(env, NULL, 0);
	rsp_response *res = rsp_response_new(req, rsp_sink_buffer(&buf));
	if (req == NULL || res == NULL)
		abort();
	called = 0;
	seen[0] = '\0';
	int rc = rsp_router_dispatch(req, res, rt);
	int st = rsp_status(res, NULL);
	const char *allow = rsp_headers_get(res->headers, "Allow");
	if (rc != 0)
		FAIL("dispatch returned %d", rc);
	if (!called && st != 204 && st != 400 && st != 404 && st != 405 &&
	    st != 414)
		FAIL("no handler and status %d", st);
	if ((st == 405 || st == 204) && !called && allow == NULL)
		FAIL("%d without Allow", st);
	if (rsp_route_param(req, "x") != NULL)
		FAIL("a parameter outlived the handler");
	snprintf(out, outlen, "%s", called ? seen : allow ? allow : "");
	rsp_finish(res);
	rsp_response_free(res);
	rsp_request_free(req);
	rsp_buffer_free(&buf);
	free(env[0]);
	free(env[1]);
	return st;
}

/*
 * uri with the first byte of its path that is not '/' written as %XX, or
 * NULL when that would change more than how the path is spelled (a path
 * already holding '%') or there is none to encode, or the path is near
 * the length limit.
 */
static char *encode_one(const char *uri)
{
	size_t n = strcspn(uri, "?#"), i = 0, ul = strlen(uri);
	if (uri[0] != '/' || memchr(uri, '%', n) != NULL || n + 2 > 8192)
		return NULL;
	while (i < n && uri[i] == '/')
		i++;
	char *e = i < n ? malloc(ul + 3) : NULL;
	if (e == NULL)
		return NULL;
	memcpy(e, uri, i);
	snprintf(e + i, 4, "%%%02X", (unsigned char)uri[i]);
	memcpy(e + i + 3, uri + i + 1, ul - i);
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *lines[34], *save = NULL;
	struct rsp_route routes[33];
	size_t nl = 0, nr = 0;
	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	for (char *l = strtok_r(text, "\n", &save); l && nl < 34;
	     l = strtok_r(NULL, "\n", &save))
		lines[nl++] = l;
	if (nl < 2) {
		free(text);
		return 0;
	}
	for (size_t i = 1; i < nl; i++) {
		char *sp = strchr(lines[i], ' ');
		if (sp == NULL)
			continue;
		*sp = '\0';
		routes[nr] =
		    (struct rsp_route){ lines[i], sp + 1, handler, sp + 1 };
		nr++;
	}
	char err[256];
	rsp_router *rt = rsp_router_new(routes, nr, err, sizeof(err));
	if (rt == NULL) {
		if (err[0] == '\0')
			FAIL("refused without a message");
		free(text);
		return 0;
	}
	char *sp = strchr(lines[0], ' ');
	char *method = lines[0], *uri = sp ? sp + 1 : (char *)"/";
	if (sp)
		*sp = '\0';
	char first[sizeof(seen)], *enc;
	int st = route_once(rt, method, uri, first, sizeof(first));
	if ((enc = encode_one(uri)) != NULL) {
		char again[sizeof(seen)];
		if (route_once(rt, method, enc, again, sizeof(again)) != st ||
		    strcmp(first, again) != 0)
			FAIL("%s %s: %d %s, encoded as %s: %s", method, uri, st,
			    first, enc, again);
		free(enc);
	}
	rsp_router_free(rt);
	free(text);
	return 0;
}
