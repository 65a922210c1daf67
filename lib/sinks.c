/*
 * sinks.c - where the writer's bytes go: a file descriptor (CGI stdout), a
 * libfcgi FCGX_Stream, or memory.  A vanished reader is RSP_EIO here and
 * never a SIGPIPE death, whatever the signal's disposition.
 */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * SIGPIPE is blocked in this thread around a write that may raise it; a
 * SIGPIPE that the write itself made pending is then consumed, so neither
 * the default action nor a caller's handler sees it.  A SIGPIPE that was
 * pending before is left alone.
 */
void rsp__sigpipe_block(struct rsp__sigpipe *st)
{
	sigset_t pipe_set;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &st->old);
	/* Only a thread that blocked SIGPIPE itself can have one pending: had
	 * it been unblocked, the signal would have been delivered already. */
	st->pending_before = false;
	if (sigismember(&st->old, SIGPIPE) == 1) {
		sigset_t pending;
		sigemptyset(&pending);
		sigpending(&pending);
		st->pending_before = sigismember(&pending, SIGPIPE) == 1;
	}
}

void rsp__sigpipe_unblock(struct rsp__sigpipe *st, bool got_epipe)
{
	if (got_epipe && !st->pending_before) {
		sigset_t pipe_set;
		struct timespec zero = { 0, 0 };
		sigemptyset(&pipe_set);
		sigaddset(&pipe_set, SIGPIPE);
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 &&
		    errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &st->old, NULL);
}

/* ---- file descriptors ------------------------------------------------- */

/*
 * ctx carries the descriptor and what it is: (fd << 2) | kind.  Only a pipe
 * (or what fstat could not tell) can raise SIGPIPE on write; a socket is
 * written with MSG_NOSIGNAL, and a file, a terminal or /dev/null never
 * raise it, so neither needs the signal-mask calls around every write.
 */
enum { FD_PLAIN = 0, FD_SOCK = 1, FD_PIPE = 2 };

static int ctx_fd(void *ctx)
{
	return (int)((intptr_t)ctx >> 2);
}

static int ctx_kind(void *ctx)
{
	return (int)((intptr_t)ctx & 3);
}

static int wait_writable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int r;
	while ((r = poll(&p, 1, -1)) < 0 && errno == EINTR)
		;
	return r < 0 ? -1 : 0;
}

static int fd_write(void *ctx, const void *data, size_t len)
{
	int fd = ctx_fd(ctx);
	bool sock = ctx_kind(ctx) == FD_SOCK, guard = ctx_kind(ctx) == FD_PIPE;
	const char *p = data;
	struct rsp__sigpipe st;
	bool epipe = false;
	int rc = RSP_OK;

	if (guard)
		rsp__sigpipe_block(&st);
	while (len > 0) {
		ssize_t n =
		    sock ? send(fd, p, len, MSG_NOSIGNAL) : write(fd, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    wait_writable(fd) == 0)
			continue;
		epipe = n < 0 && errno == EPIPE;
		rc = RSP_EIO;
		break;
	}
	if (guard)
		rsp__sigpipe_unblock(&st, epipe);
	return rc;
}

rsp_sink rsp_sink_fd(int fd)
{
	struct stat sb;
	intptr_t kind = FD_PIPE;
	if (fstat(fd, &sb) == 0 && !S_ISFIFO(sb.st_mode))
		kind = S_ISSOCK(sb.st_mode) ? FD_SOCK : FD_PLAIN;
	rsp_sink s = { fd_write, NULL, (void *)(((intptr_t)fd << 2) | kind) };
	return s;
}

bool rsp__sink_is_fd(const rsp_sink *s, int *fd)
{
	if (s->write != fd_write)
		return false;
	if (fd)
		*fd = ctx_fd(s->ctx);
	return true;
}

int64_t rsp__sink_sendfile(const rsp_sink *s, int in_fd, size_t count)
{
	int out;
	if (!rsp__sink_is_fd(s, &out))
		return RSP_ESTATE;
	struct rsp__sigpipe st;
	bool epipe = false;
	int64_t sent = 0;

	rsp__sigpipe_block(&st);
	while ((size_t)sent < count) {
		size_t want = count - (size_t)sent;
		if (want > (size_t)1 << 30)
			want = (size_t)1 << 30;
		ssize_t n = sendfile(out, in_fd, NULL, want);
		if (n > 0) {
			sent += n;
			continue;
		}
		if (n == 0)
			break; /* the file ended early */
		if (errno == EINTR)
			continue;
		if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
		    wait_writable(out) == 0)
			continue;
		if (sent == 0 && (errno == EINVAL || errno == ENOSYS)) {
			sent =
			    RSP_ESTATE; /* not for this pair: read and write */
			break;
		}
		epipe = errno == EPIPE;
		sent = RSP_EIO;
		break;
	}
	rsp__sigpipe_unblock(&st, epipe);
	return sent;
}

/* ---- libfcgi streams ------------------------------------------------- */

/* Would this many bytes overflow the stream's buffer and so write now? */
static bool fcgx_would_write(FCGX_Stream *out, size_t len)
{
	return out->wrNext == NULL || out->stop == NULL ||
	    (size_t)(out->stop - out->wrNext) < len;
}

/* The stream's error, as FCGX_GetError reports it. */
static int stream_error(const FCGX_Stream *out)
{
	return out->FCGI_errno;
}

static int fcgx_write(void *ctx, const void *data, size_t len)
{
	FCGX_Stream *out = ctx;
	const char *p = data;
	const struct rsp__fcgi *fc = rsp__fcgi();

	if (fc == NULL || out == NULL || out->isClosed ||
	    stream_error(out) != 0)
		return RSP_EIO;
	while (len > 0) {
		int chunk = len > INT_MAX ? INT_MAX : (int)len;
		int n;
		if (fcgx_would_write(out, (size_t)chunk)) {
			struct rsp__sigpipe st;
			rsp__sigpipe_block(&st);
			n = fc->PutStr(p, chunk, out);
			rsp__sigpipe_unblock(&st, stream_error(out) == EPIPE);
		} else {
			n = fc->PutStr(p, chunk, out);
		}
		if (n != chunk || stream_error(out) != 0)
			return RSP_EIO;
		p += n;
		len -= (size_t)n;
	}
	return RSP_OK;
}

static int fcgx_flush(void *ctx)
{
	FCGX_Stream *out = ctx;
	struct rsp__sigpipe st;
	const struct rsp__fcgi *fc = rsp__fcgi();
	if (fc == NULL || out == NULL || out->isClosed)
		return RSP_EIO;
	rsp__sigpipe_block(&st);
	int r = fc->FFlush(out);
	rsp__sigpipe_unblock(&st, stream_error(out) == EPIPE);
	return r == 0 && stream_error(out) == 0 ? RSP_OK : RSP_EIO;
}

rsp_sink rsp_sink_fcgx(struct FCGX_Stream *out)
{
	rsp_sink s = { fcgx_write, fcgx_flush, out };
	return s;
}

/* ---- memory ----------------------------------------------------------- */

static int buffer_write(void *ctx, const void *data, size_t len)
{
	return rsp__buf_append(ctx, data, len);
}

rsp_sink rsp_sink_buffer(struct rsp_buffer *buf)
{
	rsp_sink s = { buffer_write, NULL, buf };
	return s;
}

/* ---- plain descriptors ------------------------------------------------ */

int rsp__write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return RSP_EIO;
		p += w;
		len -= (size_t)w;
	}
	return RSP_OK;
}

/* ---- dispatch --------------------------------------------------------- */

int rsp__sink_write(const rsp_sink *s, const void *data, size_t len)
{
	if (s->write == NULL)
		return RSP_EIO;
	int rc = s->write(s->ctx, data, len);
	return rc == RSP_OK ? RSP_OK
	                    : (rc == RSP_ENOMEM ? RSP_ENOMEM : RSP_EIO);
}

int rsp__sink_flush(const rsp_sink *s)
{
	if (s->flush == NULL)
		return RSP_OK;
	return s->flush(s->ctx) == RSP_OK ? RSP_OK : RSP_EIO;
}
