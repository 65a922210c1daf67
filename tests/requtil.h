/* requtil.h - helpers for the request-side tests: chunked readers, inputs
 * placed just before an inaccessible page, and pair-list comparison.
 * The functions are in requtil.c (tests/libtestutil.la); they call
 * internal entry points, so only tests linking librespond-core use them. */
#ifndef RESPOND_REQUTIL_H
#define RESPOND_REQUTIL_H

#include "testutil.h"
#include "internal.h"

#include <sys/mman.h>

/* A body reader over memory that hands out at most `chunk` bytes a call
 * (0: all that is asked) and counts what it gave. */
struct tr {
	const unsigned char *data;
	size_t len, pos, chunk;
	size_t calls;
	size_t fail_at; /* > 0: this call and later ones return -1 */
};

int tr_read(void *ctx, void *buf, size_t len);
struct tr tr_make(const void *data, size_t len, size_t chunk);

/*
 * Input at the very end of a readable page, followed by a PROT_NONE page, so
 * any read past the end faults.
 */
struct guard {
	void *base;
	size_t maplen;
	char *p;
};

struct guard guard_place(const void *data, size_t len);
void guard_free(struct guard *g);

/* "name=value\n" for every pair, with bytes escaped. */
char *pairs_dump(const struct rsp__pairs *l);

#define ck_str(act, exp)                                                \
	do {                                                            \
		const char *a_ = (act), *e_ = (exp);                    \
		if (e_ == NULL)                                         \
			ck_assert_msg(a_ == NULL,                       \
			    "%s: expected NULL, got \"%s\"", #act, a_); \
		else {                                                  \
			ck_assert_msg(a_ != NULL,                       \
			    "%s: expected \"%s\", got NULL", #act, e_); \
			ck_bytes(a_, strlen(a_), e_, strlen(e_));       \
		}                                                       \
	} while (0)

/* Is p inside a mapping of a deleted file (a spilled body)? */
bool in_deleted_file_mapping(const void *p);

#endif /* RESPOND_REQUTIL_H */
