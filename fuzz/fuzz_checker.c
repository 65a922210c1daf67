/*
 * fuzz_checker.c - libFuzzer target for the framing oracle (common/checker.c):
 * one input judged whole, in the pieces the input chooses and byte by byte
 * must give the same findings, each renderable; any difference aborts.
 */
#include "checker.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_checker"
#include "fuzz.h"

/* The findings of one run, folded into a hash and counted. */
struct seen {
	uint64_t hash;
	unsigned notes, violations;
};

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ULL;
}

static void on_note(void *arg, const struct rsp_check_note *n)
{
	struct seen *s = arg;
	char small[16], big[1024];
	if ((unsigned)n->code >= RSP_CHECK_NCODES || n->code == RSP_CHECK_OK)
		FAIL("note with code %d", (int)n->code);
	int len = rsp_check_format(n, NULL, 0);
	if (len <= 0 || rsp_check_format(n, small, sizeof(small)) != len ||
	    strlen(small) != (size_t)(len < 15 ? len : 15))
		FAIL("%s: rendering is not snprintf-like",
		    rsp_check_name(n->code));
	if ((size_t)len < sizeof(big) &&
	    (rsp_check_format(n, big, sizeof(big)) != len ||
	        strlen(big) != (size_t)len))
		FAIL("%s: rendered length differs", rsp_check_name(n->code));
	s->hash = mix(s->hash, (uint64_t)n->code);
	s->hash = mix(s->hash, n->line);
	s->hash = mix(s->hash, n->num);
	s->hash = mix(s->hash, n->num2);
	for (size_t i = 0; i < n->text_len; i++)
		s->hash = mix(s->hash, (unsigned char)n->text[i]);
	s->notes++;
	if (rsp_check_is_violation(n->code))
		s->violations++;
}

struct run {
	struct rsp_check_report rep;
	struct seen seen;
	size_t header_bytes;
	char first[512];
};

/* Feed d in the pieces cuts[] marks (ascending offsets), or bytewise. */
static void judge(const uint8_t *d, size_t n, enum rsp_check_flavour fl,
    unsigned flags, char *hdr, size_t cap, const size_t *cuts, size_t ncuts,
    bool bytewise, struct run *r)
{
	struct rsp_check c;
	size_t at = 0;
	memset(r, 0, sizeof(*r));
	rsp_check_init(&c, fl, flags, hdr, cap, on_note, &r->seen);
	for (size_t i = 0; i <= ncuts && !bytewise; i++) {
		size_t end = i < ncuts ? cuts[i] : n;
		r->header_bytes += rsp_check_feed(&c, d + at, end - at);
		at = end;
	}
	for (size_t i = 0; bytewise && i < n; i++)
		r->header_bytes += rsp_check_feed(&c, d + i, 1);
	if (rsp_check_finish(&c, &r->rep) != r->rep.verdict)
		FAIL("finish returned another verdict than its report");
	if (r->rep.violations != r->seen.violations ||
	    r->rep.violations + r->rep.warnings != r->seen.notes)
		FAIL("counts disagree with the notes");
	if ((r->rep.verdict == RSP_CHECK_OK) != (r->rep.violations == 0))
		FAIL("verdict %s with %u violations",
		    rsp_check_name(r->rep.verdict), r->rep.violations);
	if (r->rep.header_ended && r->header_bytes + r->rep.body_len != n)
		FAIL("%zu header and %llu body bytes of %zu", r->header_bytes,
		    r->rep.body_len, n);
	if (r->rep.verdict != RSP_CHECK_OK)
		rsp_check_format(&r->rep.first, r->first, sizeof(r->first));
}

static void same(const struct run *a, const struct run *b, const char *how)
{
	if (a->rep.verdict != b->rep.verdict || a->seen.hash != b->seen.hash ||
	    a->seen.notes != b->seen.notes ||
	    a->rep.body_len != b->rep.body_len ||
	    a->rep.status != b->rep.status ||
	    a->rep.header_len != b->rep.header_len ||
	    a->header_bytes != b->header_bytes ||
	    strcmp(a->first, b->first) != 0)
		FAIL("%s: %s \"%s\" whole, %s \"%s\"", how,
		    rsp_check_name(a->rep.verdict), a->first,
		    rsp_check_name(b->rep.verdict), b->first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	enum rsp_check_flavour fl = (enum rsp_check_flavour)(data[0] % 3);
	unsigned flags = data[1] & (RSP_CHECK_HEAD | RSP_CHECK_CRLF);
	/* Sometimes a small header buffer, to reach its limit. */
	size_t cap = (data[1] & 0x80) ? 16 + (size_t)data[2] : 65536;
	size_t ncuts = (data[1] >> 2) & 7;
	data += 3;
	size -= 3;
	if (ncuts > size)
		ncuts = size;
	size_t cuts[8];
	for (size_t i = 0; i < ncuts; i++)
		cuts[i] = data[i];
	data += ncuts;
	size -= ncuts;
	/* Offsets from the cut bytes, scaled to the input and sorted. */
	for (size_t i = 0; i < ncuts; i++)
		cuts[i] = size ? cuts[i] * size / 255 : 0;
	for (size_t i = 1; i < ncuts; i++)
		for (size_t j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
			size_t t = cuts[j];
			cuts[j] = cuts[j - 1];
			cuts[j - 1] = t;
		}

	char *hdr = malloc(cap);
	struct run *r = malloc(3 * sizeof(*r));
	if (hdr == NULL || r == NULL)
		abort();
	judge(data, size, fl, flags, hdr, cap, NULL, 0, false, &r[0]);
	judge(data, size, fl, flags, hdr, cap, cuts, ncuts, false, &r[1]);
	same(&r[0], &r[1], "split");
	if (size <= 4096) {
		judge(data, size, fl, flags, hdr, cap, NULL, 0, true, &r[2]);
		same(&r[0], &r[2], "byte by byte");
	}
	free(r);
	free(hdr);
	return 0;
}
