/*
 * fuzz_multipart.c - libFuzzer target for the multipart/form-data parser:
 * rsp__multipart_parse over the input with a fixed boundary, then the same
 * body as a request read through rsp__request_new_reader in pieces.
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_multipart"
#include "fuzz.h"

#define BOUNDARY "XyZ-fuzz'b0undary"

/* A reader handing out the body in pieces of varying size. */
struct pieces {
	const uint8_t *p;
	size_t len, pos;
	uint32_t seed;
	size_t max;
};

static int read_pieces(void *ctx, void *buf, size_t len)
{
	struct pieces *s = ctx;
	s->seed = s->seed * 1103515245u + 12345u;
	size_t n = 1 + (size_t)((s->seed >> 16) % s->max);
	if (n > len)
		n = len;
	if (n > s->len - s->pos)
		n = s->len - s->pos;
	memcpy(buf, s->p + s->pos, n);
	s->pos += n;
	return (int)n;
}

static void check_parts(const uint8_t *body, size_t len,
    const struct rsp__multipart *mp)
{
	static const char delim[] = "\r\n--" BOUNDARY;
	for (size_t i = 0; i < mp->n; i++) {
		const struct rsp__mpart *pt = &mp->v[i];
		if (pt->up.name == NULL || pt->up.content_type == NULL)
			FAIL("part %zu: NULL name or content type", i);
		if (pt->up.filename != NULL) {
			const uint8_t *d = pt->up.data;
			if (pt->value != NULL)
				FAIL("upload %zu has a value", i);
			if (d < body || d > body + len ||
			    pt->up.len > (size_t)(body + len - d))
				FAIL("upload %zu lies outside the body", i);
			/* its bytes end where a delimiter starts */
			size_t off = (size_t)(d - body) + pt->up.len;
			if (len - off < sizeof(delim) - 1 ||
			    memcmp(body + off, delim, sizeof(delim) - 1) != 0)
				FAIL(
				    "upload %zu is not followed by the delimiter",
				    i);
		} else {
			if (pt->value == NULL)
				FAIL("field %zu without a value", i);
			if (strlen(pt->value) != pt->up.len)
				FAIL("field %zu: length %zu, strlen %zu", i,
				    pt->up.len, strlen(pt->value));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t ctl = data[0];
	data++;
	size--;

	struct rsp_limits lim = {
		.max_body = 1 << 17,
		.max_parts = 1 + (ctl & 0x1F),
		.max_part_header = (ctl & 0x20) ? 64 : 2048,
		.spill_threshold = (ctl & 0x40) ? 256 : 0,
	};
	struct rsp_limits res;
	rsp__limits_resolve(&res, &lim);

	/* An exact-size copy: a read past the end is an ASan report. */
	uint8_t *body = malloc(size ? size : 1);
	if (body == NULL)
		abort();
	if (size)
		memcpy(body, data, size);

	struct rsp__arena a;
	struct rsp__multipart mp;
	rsp__arena_init(&a);
	int rc = rsp__multipart_parse(&a, body, size, BOUNDARY,
	    strlen(BOUNDARY), &res, &mp);
	if (rc != RSP_OK && rc != RSP_EBADREQ && rc != RSP_ELIMIT)
		FAIL("unexpected result %d", rc);
	if (rc != RSP_OK && (mp.n != 0 || mp.v != NULL))
		FAIL("parts exposed on error");
	if (rc == RSP_OK)
		check_parts(body, size, &mp);

	/* The same body as a request, read in pieces. */
	char ct[128], cl[32];
	snprintf(ct, sizeof(ct),
	    "CONTENT_TYPE=multipart/form-data; boundary=\"%s\"", BOUNDARY);
	snprintf(cl, sizeof(cl), "CONTENT_LENGTH=%zu", size);
	char *envp[] = { "REQUEST_METHOD=POST", ct, cl, NULL };
	struct pieces src = { data, size, 0, ctl,
		(ctl >> 7) ? 4096 : 1 + (ctl & 7) };
	rsp_request *req =
	    rsp__request_new_reader(envp, read_pieces, &src, &lim);
	if (req == NULL)
		abort();
	int st = rsp_request_status(req);
	if (st != rc)
		FAIL("parser says %d, request status %d", rc, st);
	size_t fpos = 0, upos = 0, nf = 0, nu = 0;
	for (size_t i = 0; i < mp.n; i++) {
		const struct rsp__mpart *pt = &mp.v[i];
		if (pt->up.filename == NULL) {
			const char *n, *v;
			if (!rsp_request_form_next(req, &fpos, &n, &v))
				FAIL("request lacks field %zu", nf);
			if (strcmp(n, pt->up.name) != 0 ||
			    strcmp(v, pt->value) != 0)
				FAIL("field %zu differs", nf);
			nf++;
		} else {
			const struct rsp_upload *u =
			    rsp_request_upload_next(req, &upos);
			if (u == NULL)
				FAIL("request lacks upload %zu", nu);
			if (strcmp(u->name, pt->up.name) != 0 ||
			    strcmp(u->filename, pt->up.filename) != 0 ||
			    strcmp(u->content_type, pt->up.content_type) != 0 ||
			    u->len != pt->up.len ||
			    (u->len > 0 &&
			        memcmp(u->data, pt->up.data, u->len) != 0))
				FAIL("upload %zu differs", nu);
			nu++;
		}
	}
	if (rsp_request_form_next(req, &fpos, NULL, NULL))
		FAIL("request has more than %zu fields", nf);
	if (rsp_request_upload_next(req, &upos) != NULL)
		FAIL("request has more than %zu uploads", nu);
	rsp_request_free(req);
	rsp__arena_free(&a);
	free(body);
	return 0;
}
