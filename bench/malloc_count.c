/*
 * malloc_count.c - LD_PRELOAD allocation counter for bench/run: counts
 * malloc, calloc and realloc calls, attributes each to the first caller
 * frame outside libc (librespond, libfcgi or other), keeps per-call-site
 * counts for librespond and libfcgi, and writes them at exit to the file
 * named by MALLOC_COUNT_OUT (else stderr).
 */
#define _GNU_SOURCE
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);

enum { C_TOTAL, C_RESPOND, C_FCGI, C_OTHER, C_N };
static const char *const cat_names[C_N] = { "total", "librespond", "libfcgi",
	"other" };
static unsigned long counts[C_N];

struct object {
	uintptr_t lo, hi, base;
	int cat; /* -1: skip (libc, this library), else a C_ category */
	char path[256];
};
static struct object objects[64];
static int nobjects;
static int ready;

#define NSITES 1024
struct site {
	uintptr_t addr;
	unsigned long n;
};
static struct site sites[NSITES];

static __thread int busy;
static const char *out_path;

static int add_object(struct dl_phdr_info *info, size_t size, void *data)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	(void)size;
	(void)data;
	if (nobjects >= (int)(sizeof(objects) / sizeof(objects[0])))
		return 1;
	for (int i = 0; i < nobjects; i++) /* known already (a rescan) */
		if (objects[i].base == info->dlpi_addr)
			return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		if (a < lo)
			lo = a;
		if (a + ph->p_memsz > hi)
			hi = a + ph->p_memsz;
	}
	struct object *o = &objects[nobjects];
	const char *name = info->dlpi_name != NULL ? info->dlpi_name : "";
	o->lo = lo;
	o->hi = hi;
	o->base = info->dlpi_addr;
	snprintf(o->path, sizeof(o->path), "%s", name);
	if (strstr(name, "librespond") != NULL)
		o->cat = C_RESPOND;
	else if (strstr(name, "libfcgi") != NULL)
		o->cat = C_FCGI;
	else if (strstr(name, "libc.so") != NULL)
		o->cat = -1;
	else
		o->cat = C_OTHER;
	/* Published whole before it is counted: readers never see half. */
	__atomic_store_n(&nobjects, nobjects + 1, __ATOMIC_RELEASE);
	return 0;
}

/* librespond loads libfcgi with dlopen: objects loaded after start-up are
 * found by a rescan when an address matches none (one thread at a time). */
static int rescanning;

static const struct object *find_object(uintptr_t a);

static const struct object *find_or_rescan(uintptr_t a)
{
	const struct object *o = find_object(a);
	if (o == NULL &&
	    !__atomic_exchange_n(&rescanning, 1, __ATOMIC_ACQUIRE)) {
		dl_iterate_phdr(add_object, NULL);
		__atomic_store_n(&rescanning, 0, __ATOMIC_RELEASE);
		o = find_object(a);
	}
	return o;
}

static const struct object *find_object(uintptr_t a)
{
	int n = __atomic_load_n(&nobjects, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++)
		if (a >= objects[i].lo && a < objects[i].hi)
			return &objects[i];
	return NULL;
}

static void count_site(uintptr_t a)
{
	size_t h = (size_t)(a * 0x9E3779B97F4A7C15u) % NSITES;
	for (size_t k = 0; k < NSITES; k++) {
		struct site *s = &sites[(h + k) % NSITES];
		uintptr_t cur = __atomic_load_n(&s->addr, __ATOMIC_ACQUIRE);
		if (cur == 0) {
			uintptr_t zero = 0;
			if (!__atomic_compare_exchange_n(&s->addr, &zero, a, 0,
			        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				cur = zero;
			else
				cur = a;
		}
		if (cur == a) {
			__atomic_fetch_add(&s->n, 1, __ATOMIC_RELAXED);
			return;
		}
	}
}

static void count(void)
{
	void *frames[24];
	int cat = C_OTHER;

	__atomic_fetch_add(&counts[C_TOTAL], 1, __ATOMIC_RELAXED);
	if (!ready || busy)
		return;
	busy = 1;
	int n = backtrace(frames, 24);
	for (int i = 1; i < n; i++) {
		uintptr_t a = (uintptr_t)frames[i];
		const struct object *o = find_or_rescan(a);
		if (o != NULL && o->cat < 0)
			continue;
		if (o != NULL)
			cat = o->cat;
		if (cat == C_RESPOND || cat == C_FCGI)
			count_site(a - 1); /* inside the call instruction */
		break;
	}
	__atomic_fetch_add(&counts[cat], 1, __ATOMIC_RELAXED);
	busy = 0;
}

void *malloc(size_t size)
{
	count();
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	count();
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	count();
	return __libc_realloc(p, size);
}

__attribute__((constructor)) static void start(void)
{
	void *frames[2];
	busy = 1;
	out_path = getenv("MALLOC_COUNT_OUT");
	backtrace(frames, 2); /* loads the unwinder now, not inside a count */
	dl_iterate_phdr(add_object, NULL);
	for (int i = 0; i < nobjects; i++) /* this library: not a caller */
		if ((uintptr_t)&count >= objects[i].lo &&
		    (uintptr_t)&count < objects[i].hi)
			objects[i].cat = -1;
	busy = 0;
	ready = 1;
}

__attribute__((destructor)) static void finish(void)
{
	char line[512];
	int fd = 2;
	busy = 1;
	if (out_path != NULL && *out_path != '\0')
		fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
	if (fd < 0)
		return;
	for (int c = 0; c < C_N; c++) {
		int len = snprintf(line, sizeof(line), "%s %lu\n", cat_names[c],
		    counts[c]);
		if (write(fd, line, (size_t)len) < 0)
			break;
	}
	for (size_t i = 0; i < NSITES; i++) {
		if (sites[i].addr == 0)
			continue;
		const struct object *o = find_object(sites[i].addr);
		if (o == NULL)
			continue;
		int len = snprintf(line, sizeof(line), "site %s %s 0x%lx %lu\n",
		    cat_names[o->cat], o->path[0] ? o->path : "(program)",
		    (unsigned long)(sites[i].addr - o->base), sites[i].n);
		if (write(fd, line, (size_t)len) < 0)
			break;
	}
	if (fd != 2)
		close(fd);
}
