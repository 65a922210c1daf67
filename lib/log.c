/*
 * log.c - where the library's words go: a log line to the runner's hook (or
 * stderr), and the reason a call was refused, kept for rsp_response_errmsg.
 * Below every part of a response, so each records into the same place.
 */
#include "internal.h"

#include <stdio.h>

int rsp__why_setf(struct rsp__why *w, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): clang-tidy 14 bug, LLVM #40656 */
	vsnprintf(w->buf, sizeof(w->buf), fmt, ap);
	va_end(ap);
	w->text = w->buf;
	return rc;
}

void rsp__vlogf(const struct rsp__logger *l, const char *fmt, va_list ap)
{
	char msg[1024];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	if (l->fn != NULL)
		l->fn(l->ctx, msg, len);
	else
		fwrite(msg, 1, len, stderr);
}

void rsp__logf(const struct rsp__logger *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rsp__vlogf(l, fmt, ap);
	va_end(ap);
}
