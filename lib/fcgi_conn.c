/*
 * fcgi_conn.c - one FastCGI connection from the web server: its input read
 * into one buffer and taken apart a whole record at a time, the request's
 * head (BEGIN_REQUEST and PARAMS) assembled, its STDIN handed to the
 * handler, management records answered, and its output sent as records.
 */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* Room for the largest record there is: header, 65535 bytes, 255 padding. */
#define IN_CAP (RSP__FCGI_HDR_LEN + 65535 + 255 + 256)
/* Output records carry a multiple of 8 bytes: no padding needed. */
#define OUT_RECORD_MAX 65528

enum state {
	S_BEGIN,  /* between requests: waiting for FCGI_BEGIN_REQUEST */
	S_PARAMS, /* the request's PARAMS are arriving */
	S_STDIN   /* the head is complete: STDIN belongs to the handler */
};

enum step {
	STEP_MORE,  /* the next record is not all here yet */
	STEP_NEXT,  /* one record handled */
	STEP_READY, /* the request's head is complete */
	STEP_STDIN, /* request body bytes wait at in + pos */
	STEP_FAIL   /* the peer broke the protocol */
};

struct rsp__conn {
	int fd;
	const struct rsp__conn_cfg *cfg;
	unsigned char *in; /* IN_CAP bytes; in[pos..len) unread */
	size_t pos, len;
	enum state state;
	unsigned id;      /* the current request's id */
	bool keep;        /* FCGI_KEEP_CONN */
	bool begun;       /* some of a request arrived since the last end */
	bool stdin_done;  /* the empty STDIN record was seen */
	bool aborted;     /* FCGI_ABORT_REQUEST for the current request */
	bool broken;      /* read or write failed, or a protocol error */
	bool eof;         /* the peer sends nothing more */
	bool ended;       /* END_REQUEST went out for the current request */
	bool over;        /* PARAMS larger than the limit */
	bool drained;     /* the ended request's input was all read */
	bool had_request; /* a BEGIN_REQUEST came on this connection */
	size_t scan;      /* params[0..scan) are whole pairs */
	/* The STDIN record being read by the handler. */
	size_t stdin_left, pad_left;
	struct rsp_buffer params; /* the PARAMS stream, decoded in place */
	char **envp;
	size_t env_cap;
	const char *why; /* what went wrong, for the log */
};

struct rsp__conn *rsp__conn_new(const struct rsp__conn_cfg *cfg)
{
	struct rsp__conn *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->in = malloc(IN_CAP);
	c->envp = malloc(64 * sizeof(*c->envp));
	if (c->in == NULL || c->envp == NULL) {
		free(c->in);
		free(c->envp);
		free(c);
		return NULL;
	}
	c->env_cap = 64;
	c->envp[0] = NULL;
	c->cfg = cfg;
	c->fd = -1;
	return c;
}

void rsp__conn_free(struct rsp__conn *c)
{
	if (c == NULL)
		return;
	rsp__conn_close(c);
	rsp_buffer_free(&c->params);
	free(c->envp);
	free(c->in);
	free(c);
}

static void new_request_state(struct rsp__conn *c)
{
	c->state = S_BEGIN;
	c->begun = c->pos < c->len;
	c->stdin_done = c->aborted = c->ended = c->over = false;
	c->stdin_left = c->pad_left = 0;
	c->params.len = 0;
	c->scan = 0;
	c->envp[0] = NULL;
}

void rsp__conn_open(struct rsp__conn *c, int fd)
{
	c->fd = fd;
	c->pos = c->len = 0;
	c->drained = c->had_request = false;
	c->keep = c->broken = c->eof = false;
	c->why = NULL;
	new_request_state(c);
}

void rsp__conn_close(struct rsp__conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* After the end of a request on a connection that is not kept: the
 * answer is sent, and what the peer still sends is read and dropped
 * until it closes (a lingering close).  0 at EOF or on error. */
int rsp__conn_linger_read(struct rsp__conn *c)
{
	char buf[4096];
	for (;;) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? 1
		                                                          : 0;
	}
}

void rsp__conn_linger_start(struct rsp__conn *c)
{
	shutdown(c->fd, SHUT_WR);
}

int rsp__conn_fd(const struct rsp__conn *c)
{
	return c->fd;
}

bool rsp__conn_begun(const struct rsp__conn *c)
{
	return c->begun;
}

bool rsp__conn_reusable(const struct rsp__conn *c)
{
	return c->fd >= 0 && c->keep && c->ended && !c->broken && !c->eof;
}

bool rsp__conn_overflow(const struct rsp__conn *c)
{
	return c->over;
}

char **rsp__conn_envp(const struct rsp__conn *c)
{
	return c->envp;
}

const char *rsp__conn_why(const struct rsp__conn *c)
{
	return c->why;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for fd to be ready for `events`, at most ms; false on time-out. */
static bool wait_fd(int fd, short events, int ms)
{
	long long end = now_ms() + ms;
	for (;;) {
		struct pollfd p = { fd, events, 0 };
		long long left = end - now_ms();
		int n = poll(&p, 1, left > 0 ? (int)left : 0);
		if (n > 0)
			return true;
		if (n == 0 || errno != EINTR)
			return false;
	}
}

static void fail(struct rsp__conn *c, const char *why)
{
	if (!c->broken)
		c->why = why;
	c->broken = true;
}

static void pump(struct rsp__conn *c, int wait_ms);

/* ---- output ----------------------------------------------------------------- */

static int send_iov(struct rsp__conn *c, struct iovec *iov, int n)
{
	while (n > 0) {
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)n };
		ssize_t w = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(c->fd, POLLOUT, c->cfg->write_timeout_ms))
				continue;
			fail(c, "the web server stopped reading");
			return RSP_EIO;
		}
		if (w <= 0) {
			fail(c, "the web server closed the connection");
			return RSP_EIO;
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return RSP_OK;
}

static int send_bytes(struct rsp__conn *c, const void *p, size_t len)
{
	struct iovec iov = { (void *)p, len };
	if (c->broken)
		return RSP_EIO;
	return send_iov(c, &iov, 1);
}

/*
 * A stream's bytes as records, several to a sendmsg; `hdrs` has room for
 * BATCH headers.  With close, the stream's empty record follows.
 */
enum { BATCH = 8 };
struct out_stream {
	int type;
	const char *p;
	size_t len;
	bool close;
};

static int send_streams(struct rsp__conn *c, struct out_stream *s, int ns,
    const unsigned char *tail, size_t tail_len)
{
	unsigned char hdrs[BATCH + 2][RSP__FCGI_HDR_LEN];
	struct iovec iov[2 * BATCH + 4];
	int k = 0, h = 0;

	for (int i = 0; i < ns; i++) {
		while (s[i].len > 0 || s[i].close) {
			if (h >= BATCH) {
				if (send_iov(c, iov, k) != RSP_OK)
					return RSP_EIO;
				k = h = 0;
			}
			size_t n = s[i].len > OUT_RECORD_MAX ? OUT_RECORD_MAX
			                                     : s[i].len;
			rsp__fcgi_hdr_write(hdrs[h], s[i].type, c->id, n);
			iov[k].iov_base = hdrs[h++];
			iov[k++].iov_len = RSP__FCGI_HDR_LEN;
			if (n > 0) {
				iov[k].iov_base = (void *)s[i].p;
				iov[k++].iov_len = n;
			} else {
				/* The empty record: sent once. */
				s[i].close = false;
			}
			s[i].p += n;
			s[i].len -= n;
		}
	}
	if (tail_len > 0) {
		iov[k].iov_base = (void *)tail;
		iov[k++].iov_len = tail_len;
	}
	return k > 0 ? send_iov(c, iov, k) : RSP_OK;
}

/* Pass over the ended request's body records that are here already, up
 * to its end: then a connection closed now has nothing left unread (which
 * would make the kernel reset it, and could lose the answer in flight). */
static void skip_stdin(struct rsp__conn *c);

/* The body the handler left unread: the current record's rest, then the
 * body records that are here. */
static void skip_unread(struct rsp__conn *c)
{
	if (c->stdin_left > 0) {
		size_t to = c->pos + c->stdin_left + c->pad_left;
		c->pos = to <= c->len ? to : c->len;
		c->stdin_left = c->pad_left = 0;
	}
	skip_stdin(c);
}

static void skip_stdin(struct rsp__conn *c)
{
	struct rsp__fcgi_hdr h;
	while (!c->stdin_done && c->len - c->pos >= RSP__FCGI_HDR_LEN) {
		rsp__fcgi_hdr_read(c->in + c->pos, &h);
		size_t whole = RSP__FCGI_HDR_LEN + h.clen + h.plen;
		if (h.type != RSP__FCGI_STDIN || h.id != c->id ||
		    c->len - c->pos < whole)
			return;
		c->stdin_done = h.clen == 0;
		c->pos += whole;
	}
}

int rsp__conn_end(struct rsp__conn *c, const void *err, size_t errlen,
    const void *out, size_t outlen)
{
	unsigned char end[16];
	if (c->ended)
		return RSP_OK;
	/* What came meanwhile is answered before this request ends: a second
	 * request now is one this connection cannot take (FCGI_CANT_MPX_CONN),
	 * where after the end it would be the next one. */
	if (c->fd >= 0 && !c->broken) {
		skip_unread(c);
		if (!c->eof)
			pump(c, -1);
		skip_unread(c);
	}
	c->ended = true;
	if (c->broken || c->fd < 0)
		return RSP_EIO;
	/* The error stream first: a server that closes the connection once it
	 * has Content-Length bytes of stdout has read it by then. */
	struct out_stream s[2] = {
		{ RSP__FCGI_STDERR, err, errlen, errlen > 0 },
		{ RSP__FCGI_STDOUT, out, c->aborted ? 0 : outlen, true },
	};
	rsp__fcgi_end_request(end, c->id, 0, RSP__FCGI_REQUEST_COMPLETE);
	int rc = send_streams(c, s, 2, end, sizeof(end));
	c->drained = c->stdin_done && c->pos == c->len;
	new_request_state(c);
	c->ended = true;
	return rc;
}

bool rsp__conn_drained(const struct rsp__conn *c)
{
	return c->drained;
}

/* A record that answers one of the peer's, sent at once. */
static void reply(struct rsp__conn *c, const unsigned char *p, size_t n)
{
	send_bytes(c, p, n);
}

static void reply_end(struct rsp__conn *c, unsigned id, int protocol_status)
{
	unsigned char end[16];
	rsp__fcgi_end_request(end, id, 0, protocol_status);
	reply(c, end, sizeof(end));
}

/* ---- input --------------------------------------------------------------------- */

/* Read once: ms < 0 without waiting.  Bytes read, 0 at EOF or time-out
 * (eof or broken says which), -1 when nothing was there. */
static ssize_t fill(struct rsp__conn *c, int ms)
{
	if (c->pos > 0 && c->pos == c->len)
		c->pos = c->len = 0;
	if (c->len == IN_CAP || (c->pos > 0 && IN_CAP - c->len < IN_CAP / 2)) {
		memmove(c->in, c->in + c->pos, c->len - c->pos);
		c->len -= c->pos;
		c->pos = 0;
	}
	for (;;) {
		ssize_t n =
		    recv(c->fd, c->in + c->len, IN_CAP - c->len, MSG_DONTWAIT);
		if (n > 0) {
			c->len += (size_t)n;
			return n;
		}
		if (n == 0) {
			c->eof = true;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			fail(c, "reading from the web server failed");
			return 0;
		}
		if (ms < 0)
			return -1;
		if (!wait_fd(c->fd, POLLIN, ms)) {
			/* Input is given up; the answer can still be sent. */
			c->why =
			    "the web server sent nothing for RSP_READ_TIMEOUT";
			c->eof = true;
			return 0;
		}
	}
}

static enum step begin_request(struct rsp__conn *c,
    const struct rsp__fcgi_hdr *h, const unsigned char *body)
{
	if (h->clen < 8)
		return STEP_FAIL;
	unsigned role = (unsigned)body[0] << 8 | body[1];
	if (c->state != S_BEGIN) {
		/* One request at a time on a connection (FCGI_MPXS_CONNS=0). */
		if (h->id == c->id)
			return STEP_FAIL;
		reply_end(c, h->id, RSP__FCGI_CANT_MPX_CONN);
		return STEP_NEXT;
	}
	if (role != RSP__FCGI_RESPONDER) {
		reply_end(c, h->id, RSP__FCGI_UNKNOWN_ROLE);
		return STEP_NEXT;
	}
	c->id = h->id;
	c->had_request = true;
	c->keep = (body[2] & RSP__FCGI_KEEP_CONN) != 0;
	c->state = S_PARAMS;
	c->ended = false;
	return STEP_NEXT;
}

static enum step management(struct rsp__conn *c, const struct rsp__fcgi_hdr *h,
    const unsigned char *body)
{
	unsigned char out[512];
	size_t n;
	if (h->type == RSP__FCGI_GET_VALUES)
		n = rsp__fcgi_get_values_result(body, h->clen, out, sizeof(out),
		    c->cfg->max_conns, c->cfg->max_conns);
	else
		n = rsp__fcgi_unknown_type(out, (int)h->type);
	reply(c, out, n);
	return STEP_NEXT;
}

/*
 * A pair longer than the limit makes the request one to refuse (431) when
 * its stream ends; one longer than any web server could send (16 MiB, as
 * the CVE-2025-23016 shapes claim 2 GiB) ends the connection at once.
 */
#define ABSURD_PAIR (16u << 20)
static bool pairs_plausible(struct rsp__conn *c)
{
	const unsigned char *p = (const unsigned char *)c->params.data;
	size_t len = c->params.len, max = c->cfg->max_params;
	while (c->scan < len) {
		size_t at = c->scan, n[2];
		for (int k = 0; k < 2; k++) {
			if (at >= len)
				return true;
			if (p[at] < 0x80) {
				n[k] = p[at++];
				continue;
			}
			if (len - at < 4)
				return true;
			n[k] = ((size_t)(p[at] & 0x7f) << 24) |
			    (size_t)p[at + 1] << 16 | (size_t)p[at + 2] << 8 |
			    p[at + 3];
			at += 4;
		}
		if (n[0] > ABSURD_PAIR || n[1] > ABSURD_PAIR)
			return false;
		if (n[0] > max || n[1] > max) {
			c->over = true;
			return true;
		}
		if (n[0] + n[1] > len - at)
			return true;
		c->scan = at + n[0] + n[1];
	}
	return true;
}

static enum step params(struct rsp__conn *c, const struct rsp__fcgi_hdr *h,
    const unsigned char *body)
{
	if (h->clen > 0) {
		if (c->over)
			return STEP_NEXT;
		if (rsp__buf_append(&c->params, body, h->clen) != RSP_OK)
			c->over = true;
		else if (!pairs_plausible(c))
			return STEP_FAIL;
		if (c->params.len > c->cfg->max_params)
			c->over = true;
		return STEP_NEXT;
	}
	size_t count;
	c->state = S_STDIN;
	if (c->over) {
		c->envp[0] = NULL;
		return STEP_READY;
	}
	int rc = rsp__fcgi_params_decode(c->params.data, c->params.len,
	    &c->envp, &c->env_cap, &count);
	if (rc == RSP_ENOMEM) {
		c->over = true;
		c->envp[0] = NULL;
		return STEP_READY;
	}
	return rc == RSP_OK ? STEP_READY : STEP_FAIL;
}

/* FCGI_ABORT_REQUEST: before the handler runs the request simply ends. */
static enum step abort_request(struct rsp__conn *c)
{
	if (c->state == S_PARAMS) {
		reply_end(c, c->id, RSP__FCGI_REQUEST_COMPLETE);
		new_request_state(c);
		return STEP_NEXT;
	}
	c->aborted = true;
	return STEP_NEXT;
}

/* Handle the record at in + pos when it is all there. */
static enum step step(struct rsp__conn *c)
{
	struct rsp__fcgi_hdr h;
	if (c->len - c->pos < RSP__FCGI_HDR_LEN)
		return STEP_MORE;
	rsp__fcgi_hdr_read(c->in + c->pos, &h);
	if (h.version != RSP__FCGI_VERSION)
		return STEP_FAIL;
	size_t whole = RSP__FCGI_HDR_LEN + h.clen + h.plen;
	if (c->len - c->pos < whole)
		return STEP_MORE;
	const unsigned char *body = c->in + c->pos + RSP__FCGI_HDR_LEN;
	bool mine = c->state != S_BEGIN && h.id == c->id;
	enum step r = STEP_NEXT;

	c->begun = true;
	if (h.type == RSP__FCGI_STDIN && mine && c->state == S_STDIN &&
	    !c->stdin_done) {
		if (h.clen == 0) {
			c->stdin_done = true;
		} else {
			c->pos += RSP__FCGI_HDR_LEN;
			c->stdin_left = h.clen;
			c->pad_left = h.plen;
			return STEP_STDIN;
		}
	} else if (h.id == 0) {
		r = management(c, &h, body);
	} else if (h.type == RSP__FCGI_BEGIN_REQUEST) {
		r = begin_request(c, &h, body);
	} else if (h.type == RSP__FCGI_PARAMS && mine && c->state == S_PARAMS) {
		r = params(c, &h, body);
	} else if (h.type == RSP__FCGI_ABORT_REQUEST && mine) {
		r = abort_request(c);
	} else if (!c->had_request || h.id != c->id) {
		/* A stream record of a request never begun here: a confused
		 * peer, not a late record of the request that just ended. */
		return STEP_FAIL;
	}
	/* Anything else (another request's records, a finished request's
	 * STDIN, FCGI_DATA) is ignored, as the specification asks. */
	if (r != STEP_FAIL)
		c->pos += whole;
	return r;
}

enum rsp__conn_event rsp__conn_advance(struct rsp__conn *c, bool read)
{
	/* At EOF what is already here is still handled: a peer may send a
	 * request and shut down its side of the connection. */
	if (read && fill(c, -1) == 0 && c->broken)
		return RSP__CONN_CLOSE;
	for (;;) {
		switch (step(c)) {
		case STEP_NEXT:
			if (c->broken)
				return RSP__CONN_CLOSE;
			if (c->state == S_BEGIN && c->pos == c->len)
				c->begun = false;
			continue;
		case STEP_READY:
			return RSP__CONN_READY;
		case STEP_MORE:
			return c->eof || c->broken ? RSP__CONN_CLOSE
			                           : RSP__CONN_WAIT;
		case STEP_STDIN: /* not in these states */
		case STEP_FAIL:
			fail(c, "the web server broke the FastCGI protocol");
			return RSP__CONN_CLOSE;
		}
	}
}

/*
 * Handle what arrived while the handler runs, up to the next body bytes
 * (which stay for the handler): an abort, management records, a second
 * request.  wait_ms < 0: only what is there already.
 */
static void pump(struct rsp__conn *c, int wait_ms)
{
	bool filled = false;
	while (c->stdin_left == 0 && !c->broken) {
		enum step r = step(c);
		if (r == STEP_NEXT && !c->aborted)
			continue;
		if (r == STEP_NEXT || r == STEP_STDIN)
			return;
		if (r == STEP_FAIL) {
			fail(c, "the web server broke the FastCGI protocol");
			return;
		}
		/* The next record is incomplete.  The handler's reads wait only
		 * while its body is due; a write looks once, without waiting. */
		if (c->eof || (wait_ms >= 0 && c->stdin_done) ||
		    (wait_ms < 0 && filled))
			return;
		if (fill(c, wait_ms) <= 0)
			return;
		filled = true;
	}
}

int rsp__conn_read(void *ctx, void *buf, size_t len)
{
	struct rsp__conn *c = ctx;
	for (;;) {
		if (c->stdin_left > 0) {
			size_t n = len < c->stdin_left ? len : c->stdin_left;
			if (n > INT_MAX)
				n = INT_MAX;
			memcpy(buf, c->in + c->pos, n);
			c->pos += n;
			c->stdin_left -= n;
			if (c->stdin_left == 0)
				c->pos += c->pad_left;
			return (int)n;
		}
		if (c->stdin_done)
			return 0;
		if (c->aborted || c->broken || c->eof || c->ended)
			return -1;
		pump(c, c->cfg->read_timeout_ms);
	}
}

/* ---- the handler's output ------------------------------------------------------ */

static int sink_write(void *ctx, const void *data, size_t len)
{
	struct rsp__conn *c = ctx;
	if (c->ended || c->broken)
		return RSP_EIO;
	/* An abort that came while the handler worked fails this write. */
	if (!c->eof)
		pump(c, -1);
	if (c->aborted || c->broken)
		return RSP_EIO;
	struct out_stream s = { RSP__FCGI_STDOUT, data, len, false };
	return send_streams(c, &s, 1, NULL, 0);
}

rsp_sink rsp__conn_sink(struct rsp__conn *c)
{
	rsp_sink s = { sink_write, NULL, c };
	return s;
}

bool rsp__conn_aborted(const struct rsp__conn *c)
{
	return c->aborted;
}

long long rsp__now_ms(void)
{
	return now_ms();
}
