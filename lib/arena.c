/*
 * arena.c - per-response (and per-request) memory.  Everything a response
 * copies in lives here and is released in one place, rsp__arena_reset or
 * rsp__arena_free, so a long-lived FastCGI process allocates nothing per
 * header once its first block is big enough.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 4096
#define ARENA_ALIGN 16

struct rsp__arena_block {
	struct rsp__arena_block *next; /* older block */
	size_t used, size;
	/* max_align_t keeps the payload aligned for any type */
	max_align_t data[];
};

void rsp__arena_init(struct rsp__arena *a)
{
	a->head = NULL;
	a->first = NULL;
}

static struct rsp__arena_block *block_new(size_t size)
{
	struct rsp__arena_block *b = malloc(sizeof(*b) + size);
	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->used = 0;
	b->size = size;
	return b;
}

void *rsp__arena_alloc(struct rsp__arena *a, size_t n)
{
	struct rsp__arena_block *b = a->head;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	if (need < n)
		return NULL;
	if (b == NULL || b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		struct rsp__arena_block *nb = block_new(size);
		if (nb == NULL)
			return NULL;
		if (a->first == NULL) {
			a->first = nb;
		} else {
			nb->next = a->head;
		}
		a->head = nb;
		b = nb;
	}
	void *p = (char *)b->data + b->used;
	b->used += need;
	return p;
}

void *rsp__arena_memdup(struct rsp__arena *a, const void *p, size_t n)
{
	void *copy = rsp__arena_alloc(a, n ? n : 1);
	if (copy != NULL && n > 0)
		memcpy(copy, p, n);
	return copy;
}

char *rsp__arena_strndup(struct rsp__arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = rsp__arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/*
 * Empty the arena for the next request.  When the last request needed more
 * than the first block, the first block is replaced by one as big as all of
 * them (up to ARENA_KEEP_MAX), so a steady stream of similar requests stops
 * allocating after the first.
 */
#define ARENA_KEEP_MAX (256 * 1024)

void rsp__arena_reset(struct rsp__arena *a)
{
	size_t total = 0;
	struct rsp__arena_block *b = a->head;
	while (b != NULL && b != a->first) {
		struct rsp__arena_block *next = b->next;
		total += b->size;
		free(b);
		b = next;
	}
	if (a->first == NULL)
		return;
	if (total > 0) {
		total += a->first->size;
		if (total > ARENA_KEEP_MAX)
			total = ARENA_KEEP_MAX;
		if (total > a->first->size) {
			struct rsp__arena_block *nb = block_new(total);
			if (nb != NULL) {
				free(a->first);
				a->first = nb;
			}
		}
	}
	a->head = a->first;
	a->first->used = 0;
	a->first->next = NULL;
}

void rsp__arena_free(struct rsp__arena *a)
{
	rsp__arena_reset(a);
	free(a->first);
	a->head = a->first = NULL;
}
