/*
 * fcgi.c - libfcgi, loaded when FastCGI is first used rather than when the
 * program starts.  Debian builds libfcgi with BIND_NOW, so merely linking it
 * costs every CGI run ~90,000 instructions of symbol binding (as much again
 * as a whole printf hello); a CGI run never touches it, so it pays nothing.
 */
#include "internal.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#ifndef RSP_FCGI_SONAME
#define RSP_FCGI_SONAME "libfcgi.so.0"
#endif

static struct rsp__fcgi table;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Every entry point we call, by name: one list, so none can be forgotten. */
#define FCGI_SYMBOLS(X) X(PutStr) X(FFlush)

static void load(void)
{
	struct rsp__fcgi t;
	void *sym;
	/* RTLD_NOLOAD first: a program that linked libfcgi itself (it made the
	 * FCGX_Stream it hands to rsp_sink_fcgx) gets the copy it already has. */
	void *h = dlopen(RSP_FCGI_SONAME, RTLD_NOW | RTLD_NOLOAD);
	if (h == NULL)
		h = dlopen(RSP_FCGI_SONAME, RTLD_NOW);
	if (h == NULL)
		return;
#define LOAD_(name)                                  \
	if ((sym = dlsym(h, "FCGX_" #name)) == NULL) \
		return;                              \
	memcpy(&t.name, &sym, sizeof(sym));
	FCGI_SYMBOLS(LOAD_)
#undef LOAD_
	/* The handle is kept for the life of the process: libfcgi has no
	 * teardown, and requests may be in flight on other threads. */
	table = t;
	table.loaded = true;
}

const struct rsp__fcgi *rsp__fcgi(void)
{
	pthread_once(&once, load);
	return table.loaded ? &table : NULL;
}
