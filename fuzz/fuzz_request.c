/*
 * fuzz_request.c - libFuzzer target for the request side: the input becomes
 * a few CGI variables and a body, read once from memory and once through the
 * internal reader in pieces; both requests must agree byte for byte.
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_request"
#include "fuzz.h"

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t take_byte(struct input *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

/* A length-prefixed string, cut at its first NUL (environment strings
 * cannot hold one). */
static size_t take_str(struct input *in, const uint8_t **s)
{
	size_t len = take_byte(in);
	if (len > in->n)
		len = in->n;
	*s = in->p;
	in->p += len;
	in->n -= len;
	const uint8_t *z = memchr(*s, 0, len);
	return z != NULL ? (size_t)(z - *s) : len;
}

static char *env_entry(const char *name, const char *pre, const uint8_t *s,
    size_t len)
{
	size_t nl = strlen(name), pl = strlen(pre);
	char *e = malloc(nl + 1 + pl + len + 1);
	if (e == NULL)
		abort();
	memcpy(e, name, nl);
	e[nl] = '=';
	memcpy(e + nl + 1, pre, pl);
	if (len)
		memcpy(e + nl + 1 + pl, s, len);
	e[nl + 1 + pl + len] = '\0';
	return e;
}

struct pieces {
	const uint8_t *p;
	size_t len, pos, chunk;
};

static int read_pieces(void *ctx, void *buf, size_t len)
{
	struct pieces *s = ctx;
	size_t n = s->chunk;
	if (n > len)
		n = len;
	if (n > s->len - s->pos)
		n = s->len - s->pos;
	if (n)
		memcpy(buf, s->p + s->pos, n);
	s->pos += n;
	return (int)n;
}

static bool streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

typedef bool (*next_fn)(const rsp_request *, size_t *, const char **,
    const char **);

/* Walk one pair list on both requests; they must match pair by pair. */
static size_t compare_list(const char *what, next_fn next, rsp_request *a,
    rsp_request *b)
{
	size_t pa = 0, pb = 0, n = 0;
	const char *na, *va, *nb, *vb;
	for (;;) {
		bool ha = next(a, &pa, &na, &va), hb = next(b, &pb, &nb, &vb);
		if (ha != hb)
			FAIL("%s: lists differ in length at %zu", what, n);
		if (!ha)
			return n;
		if (na == NULL || va == NULL)
			FAIL("%s: NULL name or value at %zu", what, n);
		if (!streq(na, nb) || !streq(va, vb))
			FAIL("%s: pair %zu differs", what, n);
		n++;
		if (n > 100000)
			FAIL("%s: runaway iteration", what);
	}
}

static bool form_next_c(const rsp_request *r, size_t *pos, const char **n,
    const char **v)
{
	return rsp_request_form_next((rsp_request *)r, pos, n, v);
}

/* The first value of `name` in an iteration (what the lookups must give). */
static const char *first_of(next_fn next, rsp_request *r, const char *name,
    size_t *count)
{
	size_t pos = 0;
	const char *n, *v, *first = NULL;
	*count = 0;
	while (next(r, &pos, &n, &v)) {
		if (strcmp(n, name) == 0) {
			if (first == NULL)
				first = v;
			(*count)++;
		}
	}
	return first;
}

static void compare_lookups(rsp_request *a, rsp_request *b)
{
	size_t pos = 0;
	const char *n, *v;
	const char *vals_a[8], *vals_b[8];

	while (rsp_request_query_next(a, &pos, &n, &v)) {
		size_t cnt;
		const char *first =
		    first_of(rsp_request_query_next, a, n, &cnt);
		if (!streq(rsp_request_query(a, n), first) ||
		    !streq(rsp_request_query(b, n), first))
			FAIL("query lookup is not the first value");
		size_t ka = rsp_request_query_all(a, n, vals_a, 8);
		size_t kb = rsp_request_query_all(b, n, vals_b, 8);
		if (ka != cnt || kb != cnt)
			FAIL("query_all counts %zu/%zu, iteration %zu", ka, kb,
			    cnt);
		for (size_t i = 0; i < ka && i < 8; i++)
			if (!streq(vals_a[i], vals_b[i]))
				FAIL("query_all value %zu differs", i);
	}
	pos = 0;
	while (rsp_request_cookie_next(a, &pos, &n, &v)) {
		size_t cnt;
		const char *first =
		    first_of(rsp_request_cookie_next, a, n, &cnt);
		if (!streq(rsp_request_cookie(a, n), first) ||
		    !streq(rsp_request_cookie(b, n), first))
			FAIL("cookie lookup is not the first value");
	}
	pos = 0;
	while (rsp_request_form_next(a, &pos, &n, &v)) {
		size_t cnt;
		const char *first = first_of(form_next_c, a, n, &cnt);
		if (!streq(rsp_request_form(a, n), first) ||
		    !streq(rsp_request_form(b, n), first))
			FAIL("form lookup is not the first value");
		size_t ka = rsp_request_form_all(a, n, vals_a, 8);
		size_t kb = rsp_request_form_all(b, n, vals_b, 8);
		if (ka != cnt || kb != cnt)
			FAIL("form_all counts %zu/%zu, iteration %zu", ka, kb,
			    cnt);
		for (size_t i = 0; i < ka && i < 8; i++)
			if (!streq(vals_a[i], vals_b[i]))
				FAIL("form_all value %zu differs", i);
	}
	pos = 0;
	while (rsp_request_header_next(a, &pos, &n, &v)) {
		if (!streq(rsp_request_header(a, n), rsp_request_header(b, n)))
			FAIL("header %s differs", n);
		if (rsp_request_header(a, n) == NULL)
			FAIL("header %s iterated but not found", n);
	}
	static const char *const hdrs[] = { "Content-Type", "content-length",
		"Cookie", "AUTHORIZATION", "user_agent", "X-Missing" };
	for (size_t i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++)
		if (!streq(rsp_request_header(a, hdrs[i]),
		        rsp_request_header(b, hdrs[i])))
			FAIL("header %s differs", hdrs[i]);
	static const char *const params[] = { "REQUEST_METHOD", "QUERY_STRING",
		"CONTENT_TYPE", "CONTENT_LENGTH", "HTTP_COOKIE", "NOPE" };
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (!streq(rsp_request_param(a, params[i]),
		        rsp_request_param(b, params[i])))
			FAIL("param %s differs", params[i]);
}

static void compare_uploads(rsp_request *a, rsp_request *b)
{
	size_t pa = 0, pb = 0, n = 0;
	for (;;) {
		const struct rsp_upload *ua = rsp_request_upload_next(a, &pa);
		const struct rsp_upload *ub = rsp_request_upload_next(b, &pb);
		if ((ua == NULL) != (ub == NULL))
			FAIL("uploads differ in number at %zu", n);
		if (ua == NULL)
			return;
		if (ua->name == NULL || ua->filename == NULL ||
		    ua->content_type == NULL)
			FAIL("upload %zu has a NULL string", n);
		if (!streq(ua->name, ub->name) ||
		    !streq(ua->filename, ub->filename) ||
		    !streq(ua->content_type, ub->content_type) ||
		    ua->len != ub->len ||
		    (ua->len && memcmp(ua->data, ub->data, ua->len) != 0))
			FAIL("upload %zu differs", n);
		const struct rsp_upload *byname =
		    rsp_request_upload(a, ua->name);
		if (byname == NULL || !streq(byname->name, ua->name))
			FAIL("upload %s not found by name", ua->name);
		if (++n > 100000)
			FAIL("runaway upload iteration");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	uint8_t flags = take_byte(&in), chunk = take_byte(&in);
	uint8_t mask = take_byte(&in), modes = take_byte(&in);
	char *env[10];
	size_t ne = 0;
	const uint8_t *s;
	size_t len;

	if (mask & 1) {
		len = take_str(&in, &s);
		env[ne++] = env_entry("REQUEST_METHOD", "", s, len);
	}
	if (mask & 2) {
		len = take_str(&in, &s);
		env[ne++] = env_entry("QUERY_STRING", "", s, len);
	}
	if (mask & 4) {
		static const char *const ct_pre[] = { "",
			"multipart/form-data; boundary=",
			"application/x-www-form-urlencoded",
			"multipart/form-data; boundary=\"XyZ\"" };
		len = take_str(&in, &s);
		env[ne++] =
		    env_entry("CONTENT_TYPE", ct_pre[modes & 3], s, len);
	}
	const uint8_t *cls = NULL;
	size_t cll = 0;
	if (mask & 8)
		cll = take_str(&in, &cls);
	if (mask & 16) {
		len = take_str(&in, &s);
		env[ne++] = env_entry("HTTP_COOKIE", "", s, len);
	}
	if (mask & 32) {
		len = take_str(&in, &s);
		env[ne++] = env_entry("HTTP_AUTHORIZATION", "", s, len);
	}
	env[ne++] = env_entry("HTTP_USER_AGENT", "fuzz", NULL, 0);
	/* The rest is the body; CONTENT_LENGTH is raw or derived from it. */
	const uint8_t *body = in.p;
	size_t blen = in.n;
	if (mask & 8) {
		char num[32];
		unsigned clmode = (modes >> 2) & 3;
		size_t v = blen + (clmode == 2) - (clmode == 3 && blen > 0);
		snprintf(num, sizeof(num), "%zu", v);
		if (clmode == 0)
			env[ne++] = env_entry("CONTENT_LENGTH", "", cls, cll);
		else
			env[ne++] = env_entry("CONTENT_LENGTH", num, NULL, 0);
	}
	env[ne] = NULL;

	struct rsp_limits lim = {
		.max_body = 16384,
		.max_query = 1024,
		.max_params = 32,
		.max_parts = 16,
		.max_part_header = 512,
		.max_boundary = (flags & 0x10) ? 8 : 70,
		.max_cookie = 512,
		.spill_threshold = (flags & 1) ? 256 : 0,
	};

	rsp_request *a = rsp_request_from_memory_with(env, body, blen, &lim);
	/* B reads its own copy of the environment, which is scribbled over
	 * after rsp__request_detach to prove the request let go of it. */
	char *envb[10];
	for (size_t i = 0; i <= ne; i++)
		envb[i] = env[i] != NULL ? strdup(env[i]) : NULL;
	struct pieces src = { body, blen, 0, (size_t)chunk + 1 };
	if (flags & 0x20)
		src.chunk = 1;
	rsp_request *b = rsp__request_new_reader(envb, read_pieces, &src, &lim);
	if (a == NULL || b == NULL)
		abort();
	if (flags & 2) {
		if (rsp__request_detach(b) != RSP_OK)
			FAIL("detach failed");
		for (size_t i = 0; i < ne; i++)
			memset(envb[i], 'Z', strlen(envb[i]));
	}

	int sta = 0, stb = 0;
	if (flags & 4)
		sta = rsp_request_status(a);
	if (flags & 8)
		stb = rsp_request_status(b);

	if (!streq(rsp_request_method(a), rsp_request_method(b)))
		FAIL("method differs");
	compare_list("params", rsp_request_param_next, a, b);
	compare_list("headers", rsp_request_header_next, a, b);
	compare_list("query", rsp_request_query_next, a, b);
	compare_list("cookies", rsp_request_cookie_next, a, b);
	if (flags & 0x40) {
		compare_uploads(a, b);
		compare_list("form", form_next_c, a, b);
	} else {
		compare_list("form", form_next_c, a, b);
		compare_uploads(a, b);
	}
	compare_lookups(a, b);

	const void *da, *db;
	size_t la, lb;
	int ra = rsp_request_body(a, &da, &la),
	    rb = rsp_request_body(b, &db, &lb);
	if (ra != rb || la != lb ||
	    (ra == RSP_OK && la && memcmp(da, db, la) != 0))
		FAIL("body differs (%d/%d, %zu/%zu bytes)", ra, rb, la, lb);
	if (ra == RSP_OK && la > 0 && (la > blen || memcmp(da, body, la) != 0))
		FAIL("body is not the input's bytes");
	/* CONTENT_LENGTH said exactly the input's length: all of it. */
	if (ra == RSP_OK && (mask & 8) && ((modes >> 2) & 3) == 1 && la != blen)
		FAIL("body of %zu bytes, CONTENT_LENGTH %zu", la, blen);

	const char *ua, *pwa, *ub, *pwb;
	ra = rsp_request_auth(a, &ua, &pwa);
	rb = rsp_request_auth(b, &ub, &pwb);
	if (ra != rb || (ra == RSP_OK && (!streq(ua, ub) || !streq(pwa, pwb))))
		FAIL("auth differs (%d/%d)", ra, rb);

	int sta2 = rsp_request_status(a), stb2 = rsp_request_status(b);
	if ((flags & 4) && sta != sta2)
		FAIL("status of A changed: %d then %d", sta, sta2);
	if ((flags & 8) && stb != stb2)
		FAIL("status of B changed: %d then %d", stb, stb2);
	if (sta2 != stb2)
		FAIL("status differs: memory %d, reader %d", sta2, stb2);
	if (sta2 != RSP_OK && sta2 != RSP_EBADREQ && sta2 != RSP_ELIMIT)
		FAIL("unexpected status %d", sta2);

	rsp_request_free(a);
	rsp_request_free(b);
	for (size_t i = 0; i < ne; i++) {
		free(env[i]);
		free(envb[i]);
	}
	return 0;
}
