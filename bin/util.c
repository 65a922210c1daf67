/* util.c - respond-run's small helpers: allocation that exits on failure,
 * growable byte buffers, whole writes and reads, and the HTTP token test
 * (from the library's grammar table, not a copy of it). */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "respond-run.h"
#include "internal.h"

void die_oom(void)
{
	static const char msg[] = PROG ": error: out of memory\n";
	ssize_t w = write(2, msg, sizeof msg - 1);
	(void)w;
	exit(EXIT_FAILED);
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die_oom();
	return q;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xrealloc(NULL, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): clang-tidy 14 bug, LLVM #40656 */
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		die_oom();
	char *p = xrealloc(NULL, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void buf_add(struct buf *b, const void *d, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n < b->len)
		die_oom();
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n) {
			if (cap > SIZE_MAX / 2)
				die_oom();
			cap *= 2;
		}
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Write all of d to fd (the library's loop); returns 0 or an errno value. */
int write_all(int fd, const void *d, size_t n)
{
	errno = 0;
	if (rsp__write_all(fd, d, n) == RSP_OK)
		return 0;
	return errno != 0 ? errno : EIO;
}

void err_puts(const char *s)
{
	(void)write_all(2, s, strlen(s));
}

int read_file(const char *path, struct buf *b)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	char tmp[65536];
	for (;;) {
		ssize_t r = read(fd, tmp, sizeof tmp);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			if (fd != 0)
				close(fd);
			return e;
		}
		if (r == 0)
			break;
		buf_add(b, tmp, (size_t)r);
	}
	if (fd != 0)
		close(fd);
	return 0;
}

int is_tchar(unsigned char c)
{
	return (rsp__ctype[c] & RSP__TCHAR) != 0;
}

int is_token(const char *s, size_t n)
{
	return rsp__is_token(s, n);
}

int ieq(const char *s, size_t n, const char *lit)
{
	return rsp__ieqn(s, n, lit);
}

const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The signals a program is likely to die of, with their names. */
/* clang-format off */
#define SIGNAL_(s) { s, #s }
static const struct {
	int sig;
	const char *name;
} signals[] = {
	SIGNAL_(SIGHUP), SIGNAL_(SIGINT), SIGNAL_(SIGQUIT), SIGNAL_(SIGILL),
	SIGNAL_(SIGTRAP), SIGNAL_(SIGABRT), SIGNAL_(SIGBUS), SIGNAL_(SIGFPE),
	SIGNAL_(SIGKILL), SIGNAL_(SIGUSR1), SIGNAL_(SIGSEGV), SIGNAL_(SIGUSR2),
	SIGNAL_(SIGPIPE), SIGNAL_(SIGALRM), SIGNAL_(SIGTERM), SIGNAL_(SIGXCPU),
	SIGNAL_(SIGXFSZ),
};
#undef SIGNAL_
/* clang-format on */

const char *signal_name(int sig)
{
	for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}
