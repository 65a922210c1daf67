/* requtil.c - the helpers of the request-side tests (requtil.h says what
 * each does), compiled once into tests/libtestutil.la. */
#include "requtil.h"

int tr_read(void *ctx, void *buf, size_t len)
{
	struct tr *r = ctx;
	r->calls++;
	if (r->fail_at > 0 && r->calls >= r->fail_at)
		return -1;
	size_t n = r->len - r->pos;
	if (n > len)
		n = len;
	if (r->chunk > 0 && n > r->chunk)
		n = r->chunk;
	if (n > 0)
		memcpy(buf, r->data + r->pos, n);
	r->pos += n;
	return (int)n;
}

struct tr tr_make(const void *data, size_t len, size_t chunk)
{
	struct tr r;
	memset(&r, 0, sizeof r);
	r.data = data;
	r.len = len;
	r.chunk = chunk;
	return r;
}

struct guard guard_place(const void *data, size_t len)
{
	struct guard g;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t pages = (len + pg - 1) / pg + 1;
	if (len == 0)
		pages = 2;
	g.maplen = pages * pg;
	g.base = mmap(NULL, g.maplen, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_msg(g.base != MAP_FAILED, "mmap: %s", strerror(errno));
	char *fence = (char *)g.base + g.maplen - pg;
	ck_assert_int_eq(mprotect(fence, pg, PROT_NONE), 0);
	g.p = fence - len;
	if (len > 0)
		memcpy(g.p, data, len);
	return g;
}

void guard_free(struct guard *g)
{
	munmap(g->base, g->maplen);
}

char *pairs_dump(const struct rsp__pairs *l)
{
	struct rsp_buffer b = { 0 };
	for (size_t i = 0; i < l->n; i++) {
		char *n = tu_escape(l->v[i].name, l->v[i].nlen);
		char *v = tu_escape(l->v[i].value, l->v[i].vlen);
		char *line = tu_strdupf("%s=%s\n", n, v);
		rsp__buf_append(&b, line, strlen(line));
		free(n);
		free(v);
		free(line);
		ck_assert_msg(l->v[i].name[l->v[i].nlen] == '\0',
		    "name not terminated");
		ck_assert_msg(l->v[i].value[l->v[i].vlen] == '\0',
		    "value not terminated");
	}
	rsp__buf_append(&b, "", 1);
	return b.data;
}

bool in_deleted_file_mapping(const void *p)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	bool found = false;
	while (f && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2)
			continue;
		if ((uintptr_t)p >= lo && (uintptr_t)p < hi) {
			found = strstr(line, "(deleted)") != NULL;
			break;
		}
	}
	if (f)
		fclose(f);
	return found;
}
