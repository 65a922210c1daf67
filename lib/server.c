/*
 * server.c - the FastCGI application server behind rsp_run: one dispatcher
 * polls the listening socket, every open connection and the stop signal,
 * assembles each request's head, and hands complete requests to a worker
 * (itself when there is one worker, else a pool of threads).  SIGTERM stops
 * accepting at once, lets requests in flight finish within a deadline, and
 * closes idle kept connections.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* memfd_create, accept4, pipe2 */
#endif
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ERR_KEEP (64 * 1024) /* stderr forwarded per request */
/* One worker: the capture file's size. */
#define ERR_FILE (ERR_KEEP + 1024 * 1024)
#define STOP_GRACE_MS 250 /* a connection that sent nothing yet */

#define LINGER_MS 2000 /* unread input after the answer */

/* OPEN: the dispatcher watches it for requests; BUSY: a worker has it;
 * LINGER: answered and closing, input read and dropped until EOF. */
enum slot_state { SLOT_FREE, SLOT_OPEN, SLOT_BUSY, SLOT_LINGER };

/* One connection as the dispatcher sees it. */
struct slot {
	struct rsp__conn *conn;
	enum slot_state st;
	bool fresh;           /* no request served on it yet */
	long long deadline;   /* ms, CLOCK_MONOTONIC; 0: none */
	long long idle_since; /* kept and waiting: the oldest goes first */
};

struct worker;

struct server {
	const struct rsp__app *app;
	struct rsp__conn_cfg cfg;
	int listen_fd;
	struct rsp__allow *allow; /* FCGI_WEB_SERVER_ADDRS, TCP only */
	int nworkers;
	int drain_ms;
	struct slot *slots;
	unsigned nslots, nopen;
	unsigned hi; /* slots[hi..] have never been used */
	int sig_fd;  /* the signal pipe's read end */
	bool stopping;
	/* stderr of the handlers */
	int err_fd;             /* the process's own stderr */
	int mem_fd;             /* one worker: fd 2 is this file */
	int cap_fd;             /* several: fd 2 is a pipe, read here */
	struct rsp_buffer held; /* several: captured, not yet forwarded */
	size_t held_dropped;
	/* several workers: requests handed out, connections handed back */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned *ready, ready_head, ready_n;
	unsigned *back, back_n; /* handed back, under the lock */
	unsigned *back_spare;   /* swapped with back to read it unlocked */
	int wake[2];
	bool quit;
	struct worker *workers;
};

struct worker {
	struct server *sv;
	pthread_t tid;
	unsigned slot;
	struct rsp__conn *conn;
	rsp_request *req;
	rsp_response *res;
	struct rsp_buffer err; /* this request's stderr and log lines */
	size_t err_dropped;
	bool in_handler, early, released;
};

/* ---- signals ------------------------------------------------------------------ */

/*
 * A signal handler has no argument, so what it needs lives here: the only
 * writable statics of the library, set while rsp_run serves FastCGI.
 */
static volatile int sig_write_fd = -1;
static volatile int sig_err_fd = 2;
static volatile sig_atomic_t drain_armed;
static timer_t drain_timer;
static volatile sig_atomic_t drain_timer_ok;
static struct itimerspec drain_when;

#define DRAIN_SIGNAL SIGRTMAX

static void on_drain_timeout(int sig)
{
	static const char msg[] =
	    "respond: RSP_DRAIN_TIMEOUT passed with requests unfinished; exiting\n";
	RSP__UNUSED(sig);
	ssize_t n = write(sig_err_fd, msg, sizeof(msg) - 1);
	RSP__UNUSED(n);
	_exit(1);
}

static void on_signal(int sig)
{
	int saved = errno;
	char c = sig == SIGHUP ? 'h' : 't';
	if (sig_write_fd >= 0) {
		ssize_t n = write(sig_write_fd, &c, 1);
		RSP__UNUSED(n);
	}
	/* The deadline starts now, even while a handler runs in this thread. */
	if (c == 't' && drain_timer_ok && !drain_armed) {
		struct sigaction sa = { .sa_handler = on_drain_timeout };
		drain_armed = 1;
		sigaction(DRAIN_SIGNAL, &sa, NULL);
		timer_settime(drain_timer, 0, &drain_when, NULL);
	}
	errno = saved;
}

struct saved_signals {
	struct sigaction term, intr, hup, drain;
	int pipe[2];
};

/* Catch (never block) SIGTERM, SIGINT and SIGHUP: handlers and the
 * programs they start see the signal mask and dispositions of a CGI run. */
static int signals_start(struct server *sv, struct saved_signals *ss)
{
	struct sigaction sa = { .sa_handler = on_signal,
		.sa_flags = SA_RESTART };
	if (pipe2(ss->pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return -1;
	sv->sig_fd = ss->pipe[0];
	sig_write_fd = ss->pipe[1];
	sig_err_fd = 2; /* capture_start points it at the process's stderr */
	drain_armed = 0;
	drain_when.it_value.tv_sec = sv->drain_ms / 1000;
	drain_when.it_value.tv_nsec = (long)(sv->drain_ms % 1000) * 1000000;
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL,
		.sigev_signo = DRAIN_SIGNAL };
	drain_timer_ok = sv->drain_ms > 0 &&
	    timer_create(CLOCK_MONOTONIC, &ev, &drain_timer) == 0;
	sigaction(DRAIN_SIGNAL, NULL, &ss->drain);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &ss->term);
	sigaction(SIGINT, &sa, &ss->intr);
	sigaction(SIGHUP, &sa, &ss->hup);
	return 0;
}

static void signals_stop(struct saved_signals *ss)
{
	sigaction(SIGTERM, &ss->term, NULL);
	sigaction(SIGINT, &ss->intr, NULL);
	sigaction(SIGHUP, &ss->hup, NULL);
	if (drain_timer_ok) {
		timer_delete(drain_timer);
		drain_timer_ok = 0;
	}
	sigaction(DRAIN_SIGNAL, &ss->drain, NULL);
	sig_write_fd = -1;
	close(ss->pipe[0]);
	close(ss->pipe[1]);
}

/* ---- the handlers' stderr ------------------------------------------------------- */

/* The process's own stderr (fd 2 is the capture while serving). */
static void own_stderr(const struct server *sv, const void *p, size_t len)
{
	(void)rsp__write_all(sv->err_fd >= 0 ? sv->err_fd : 2, p, len);
}

/* Keep at most ERR_KEEP bytes; count the rest. */
static void keep(struct rsp_buffer *b, size_t *dropped, const char *p,
    size_t len)
{
	size_t room = b->len < ERR_KEEP ? ERR_KEEP - b->len : 0;
	size_t n = len < room ? len : room;
	if (n > 0 && rsp__buf_append(b, p, n) != RSP_OK)
		n = 0;
	*dropped += len - n;
}

/*
 * One worker: fd 2 becomes a memory file of fixed size that the kernel will
 * not let grow (F_SEAL_GROW), so a handler that writes without end costs at
 * most ERR_FILE of memory; a file never blocks its writer, so no thread has
 * to drain it.  Several: a pipe that the dispatcher drains.
 */
static void capture_start(struct server *sv)
{
	sv->err_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
	sv->mem_fd = sv->cap_fd = -1;
	if (sv->err_fd < 0)
		return;
	sig_err_fd = sv->err_fd;
	if (sv->nworkers == 1) {
		int fd = memfd_create("respond-stderr",
		    MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (fd < 0 || ftruncate(fd, ERR_FILE) != 0 ||
		    fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK) != 0) {
			if (fd >= 0)
				close(fd);
			return;
		}
		sv->mem_fd = fd;
		dup2(fd, 2);
	} else {
		int p[2];
		if (pipe2(p, O_CLOEXEC) != 0)
			return;
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		sv->cap_fd = p[0];
		dup2(p[1], 2);
		close(p[1]);
	}
	setvbuf(stderr, NULL, _IONBF, 0);
}

/* Several workers: move what the pipe holds into sv->held (lock held). */
static void capture_read_locked(struct server *sv)
{
	char buf[4096];
	ssize_t n;
	if (sv->cap_fd < 0)
		return;
	while ((n = read(sv->cap_fd, buf, sizeof(buf))) > 0)
		keep(&sv->held, &sv->held_dropped, buf, (size_t)n);
}

/* What the handler wrote to fd 2 since the last request, into wk->err. */
static void capture_take(struct worker *wk)
{
	struct server *sv = wk->sv;
	if (sv->mem_fd >= 0) {
		off_t end = lseek(sv->mem_fd, 0, SEEK_CUR);
		if (end <= 0)
			return; /* the usual case: one lseek, nothing else */
		char buf[4096];
		for (off_t at = 0; at < end && at < ERR_KEEP;) {
			size_t want = (size_t)(end - at) < sizeof(buf)
			    ? (size_t)(end - at)
			    : sizeof(buf);
			ssize_t n = pread(sv->mem_fd, buf, want, at);
			if (n <= 0)
				break;
			keep(&wk->err, &wk->err_dropped, buf, (size_t)n);
			at += n;
		}
		if (end > ERR_KEEP)
			wk->err_dropped += (size_t)(end - ERR_KEEP);
		/* The pages written are returned; the file keeps its size. */
		fallocate(sv->mem_fd,
		    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, end);
		lseek(sv->mem_fd, 0, SEEK_SET);
		return;
	}
	if (sv->cap_fd < 0)
		return;
	pthread_mutex_lock(&sv->lock);
	capture_read_locked(sv);
	keep(&wk->err, &wk->err_dropped, sv->held.data, sv->held.len);
	wk->err_dropped += sv->held_dropped;
	sv->held.len = 0;
	sv->held_dropped = 0;
	pthread_mutex_unlock(&sv->lock);
}

/* The overflow, said once at the end of what is forwarded. */
static void note_dropped(struct worker *wk)
{
	char line[160];
	if (wk->err_dropped == 0)
		return;
	int n = snprintf(line, sizeof(line),
	    "respond: %zu more bytes of stderr dropped (%d KiB are kept per request)%s\n",
	    wk->err_dropped, ERR_KEEP / 1024,
	    wk->sv->mem_fd >= 0 && wk->err_dropped >= ERR_FILE - ERR_KEEP
	        ? "; later writes were refused"
	        : "");
	wk->err_dropped = 0;
	if (n > 0)
		rsp__buf_append(&wk->err, line, (size_t)n);
}

static void capture_stop(struct server *sv)
{
	struct worker none = { .sv = sv };
	if (sv->err_fd < 0)
		return;
	capture_take(&none);
	note_dropped(&none);
	(void)rsp__write_all(sv->err_fd, none.err.data, none.err.len);
	rsp_buffer_free(&none.err);
	dup2(sv->err_fd, 2);
	sig_err_fd = 2;
	close(sv->err_fd);
	sv->err_fd = -1;
	if (sv->mem_fd >= 0)
		close(sv->mem_fd);
	if (sv->cap_fd >= 0)
		close(sv->cap_fd);
	sv->mem_fd = sv->cap_fd = -1;
	rsp_buffer_free(&sv->held);
}

static void log_to_request(void *ctx, const char *msg, size_t len)
{
	struct worker *wk = ctx;
	if (wk->released) {
		own_stderr(wk->sv, msg, len);
		return;
	}
	keep(&wk->err, &wk->err_dropped, msg, len);
}

/* ---- connections ------------------------------------------------------------- */

static void slot_close(struct server *sv, unsigned i)
{
	rsp__conn_close(sv->slots[i].conn);
	sv->slots[i].st = SLOT_FREE;
	sv->nopen--;
}

static void queue_ready(struct server *sv, unsigned i);

/* A connection the dispatcher watches again: kept, or closed. */
static void slot_reclaim(struct server *sv, unsigned i)
{
	struct slot *s = &sv->slots[i];
	if (!rsp__conn_reusable(s->conn) || sv->stopping) {
		if (rsp__conn_drained(s->conn) ||
		    rsp__conn_why(s->conn) != NULL) {
			slot_close(sv, i);
			return;
		}
		rsp__conn_linger_start(s->conn);
		s->st = SLOT_LINGER;
		s->deadline = rsp__now_ms() + LINGER_MS;
		return;
	}
	s->st = SLOT_OPEN;
	s->fresh = false;
	s->deadline = 0;
	s->idle_since = rsp__now_ms();
	/* The next request may be here already: no poll would tell. */
	switch (rsp__conn_advance(s->conn, false)) {
	case RSP__CONN_READY:
		queue_ready(sv, i);
		break;
	case RSP__CONN_CLOSE:
		slot_close(sv, i);
		break;
	case RSP__CONN_WAIT:
		if (rsp__conn_begun(s->conn))
			s->deadline = rsp__now_ms() + sv->cfg.read_timeout_ms;
		break;
	}
}

/* Close the kept connection idle the longest, to make room; false if none. */
static bool evict_idle(struct server *sv)
{
	unsigned best = sv->nslots;
	for (unsigned i = 0; i < sv->hi; i++) {
		struct slot *s = &sv->slots[i];
		if (s->st == SLOT_OPEN && !s->fresh &&
		    !rsp__conn_begun(s->conn) &&
		    (best == sv->nslots ||
		        s->idle_since < sv->slots[best].idle_since))
			best = i;
	}
	if (best == sv->nslots)
		return false;
	slot_close(sv, best);
	return true;
}

static bool slot_take(struct server *sv, unsigned *out)
{
	for (unsigned i = 0; i < sv->nslots; i++) {
		if (sv->slots[i].st != SLOT_FREE)
			continue;
		if (sv->slots[i].conn == NULL &&
		    (sv->slots[i].conn = rsp__conn_new(&sv->cfg)) == NULL)
			return false;
		*out = i;
		if (i >= sv->hi)
			sv->hi = i + 1;
		return true;
	}
	return false;
}

static void accept_some(struct server *sv)
{
	for (int k = 0; k < 64; k++) {
		struct sockaddr_storage peer = { 0 };
		socklen_t plen = sizeof(peer);
		unsigned i;
		if (sv->nopen >= sv->nslots && !evict_idle(sv))
			return;
		int fd = accept4(sv->listen_fd, (struct sockaddr *)&peer, &plen,
		    SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			return; /* EAGAIN: another process took it, or none left */
		if (!rsp__allow_check(sv->allow, &peer)) {
			close(fd);
			continue;
		}
		if (peer.ss_family == AF_INET || peer.ss_family == AF_INET6) {
			int one = 1;
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
			    sizeof(one));
		}
		if (!slot_take(sv, &i)) {
			close(fd);
			return;
		}
		rsp__conn_open(sv->slots[i].conn, fd);
		sv->slots[i].st = SLOT_OPEN;
		sv->slots[i].fresh = true;
		sv->slots[i].deadline = rsp__now_ms() + sv->cfg.read_timeout_ms;
		sv->nopen++;
	}
}

static void log_line(struct server *sv, const char *msg, const char *why)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "respond: %s%s%s\n", msg,
	    why != NULL ? ": " : "", why != NULL ? why : "");
	if (n > 0)
		own_stderr(sv, line,
		    (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* Input on a connection the dispatcher watches. */
static void slot_input(struct server *sv, unsigned i, bool read)
{
	struct slot *s = &sv->slots[i];
	switch (rsp__conn_advance(s->conn, read)) {
	case RSP__CONN_READY:
		s->deadline = 0;
		queue_ready(sv, i);
		return;
	case RSP__CONN_CLOSE:
		if (rsp__conn_why(s->conn) != NULL && rsp__conn_begun(s->conn))
			log_line(sv, "closed a FastCGI connection",
			    rsp__conn_why(s->conn));
		slot_close(sv, i);
		return;
	case RSP__CONN_WAIT:
		/* A request under way must complete in time; a kept connection
		 * between requests may wait as long as the web server likes. */
		if (rsp__conn_begun(s->conn) || s->fresh) {
			if (s->deadline == 0)
				s->deadline =
				    rsp__now_ms() + sv->cfg.read_timeout_ms;
		} else {
			s->deadline = 0;
		}
		return;
	}
}

/* ---- serving a request ------------------------------------------------------------ */

static void release(struct worker *wk);

/*
 * Ends the FastCGI request, from rsp_finish (early, or after the handler):
 * stderr, the unsent output, the ends of both streams and FCGI_END_REQUEST
 * leave in one write, once.  The connection then goes back to the
 * dispatcher, even while the handler goes on after an early finish.
 */
static int finish_request(void *ctx, const void *tail, size_t len)
{
	struct worker *wk = ctx;
	int rc = RSP_OK;
	if (wk->released)
		return RSP_OK;
	if (wk->in_handler) {
		wk->early = true;
		rc = rsp__request_detach(wk->req);
	}
	capture_take(wk);
	note_dropped(wk);
	int out = rsp__conn_end(wk->conn, wk->err.data, wk->err.len, tail, len);
	/* Not delivered to the web server: the process's own stderr has it. */
	if (out != RSP_OK && wk->err.len > 0)
		own_stderr(wk->sv, wk->err.data, wk->err.len);
	wk->err.len = 0;
	release(wk);
	return out != RSP_OK ? out : rc;
}

static bool objects_for(struct worker *wk, char **envp)
{
	const struct rsp_limits *lim = &wk->sv->app->lim;
	struct rsp__conn *c = wk->conn;
	if (wk->req == NULL)
		wk->req = rsp__request_new_reader(envp, rsp__conn_read, c, lim);
	else
		rsp__request_reset(wk->req, envp, rsp__conn_read, c, lim);
	if (wk->req == NULL)
		return false;
	if (wk->res == NULL)
		wk->res = rsp_response_new(wk->req, rsp__conn_sink(c));
	else
		rsp__response_reset(wk->res, wk->req, rsp__conn_sink(c));
	return wk->res != NULL;
}

static void serve(struct worker *wk, unsigned i)
{
	static char *no_env[] = { NULL };
	struct server *sv = wk->sv;
	wk->slot = i;
	wk->conn = sv->slots[i].conn;
	wk->released = wk->early = false;
	bool over = rsp__conn_overflow(wk->conn);
	if (!objects_for(wk, over ? no_env : rsp__conn_envp(wk->conn))) {
		log_line(sv, "out of memory; a FastCGI request was dropped",
		    NULL);
		rsp__conn_end(wk->conn, NULL, 0, NULL, 0);
		release(wk);
		return;
	}
	/* FastCGI has no NPH: the web server always parses the header block. */
	if (rsp_flavour(wk->res) == RSP_NPH)
		rsp_set_flavour(wk->res, RSP_CGI);
	rsp__response_set_log(wk->res, log_to_request, wk);
	rsp__response_set_finish(wk->res, finish_request, wk);
	struct rsp__access *acc =
	    rsp__access_begin(&sv->app->opts, wk->req, wk->res);
	wk->in_handler = true;
	if (over) {
		rsp__log(rsp__res(wk->res),
		    "respond: 431 the request's FastCGI "
		    "parameters are over %zu bytes\n",
		    sv->cfg.max_params);
		rsp_set_error(wk->res, 431, "Request Header Fields Too Large");
	} else {
		rsp__handle(sv->app, wk->req, wk->res);
	}
	wk->in_handler = false;
	rsp__handle_end(wk->res);
	finish_request(wk, NULL, 0);
	rsp__access_end(acc, wk->res);
	/* Written after an early finish: the process's own stderr gets it. */
	if (wk->early) {
		capture_take(wk);
		note_dropped(wk);
		own_stderr(sv, wk->err.data, wk->err.len);
		wk->err.len = 0;
	}
}

static void worker_free(struct worker *wk)
{
	rsp_response_free(wk->res);
	rsp_request_free(wk->req);
	rsp_buffer_free(&wk->err);
	wk->res = NULL;
	wk->req = NULL;
}

/* ---- one worker, or a pool ------------------------------------------------------- */

static void queue_ready(struct server *sv, unsigned i)
{
	sv->slots[i].st = SLOT_BUSY;
	if (sv->nworkers == 1) {
		sv->ready[(sv->ready_head + sv->ready_n++) % sv->nslots] = i;
		return;
	}
	pthread_mutex_lock(&sv->lock);
	sv->ready[(sv->ready_head + sv->ready_n++) % sv->nslots] = i;
	pthread_cond_signal(&sv->cond);
	pthread_mutex_unlock(&sv->lock);
}

static void release(struct worker *wk)
{
	struct server *sv = wk->sv;
	if (wk->released)
		return;
	wk->released = true;
	if (sv->nworkers == 1) {
		slot_reclaim(sv, wk->slot);
		return;
	}
	pthread_mutex_lock(&sv->lock);
	sv->back[sv->back_n++] = wk->slot;
	pthread_mutex_unlock(&sv->lock);
	(void)rsp__write_all(sv->wake[1], "x", 1);
}

static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct server *sv = wk->sv;
	pthread_mutex_lock(&sv->lock);
	for (;;) {
		while (sv->ready_n == 0 && !sv->quit)
			pthread_cond_wait(&sv->cond, &sv->lock);
		if (sv->ready_n == 0)
			break;
		unsigned i = sv->ready[sv->ready_head];
		sv->ready_head = (sv->ready_head + 1) % sv->nslots;
		sv->ready_n--;
		pthread_mutex_unlock(&sv->lock);
		serve(wk, i);
		pthread_mutex_lock(&sv->lock);
	}
	pthread_mutex_unlock(&sv->lock);
	worker_free(wk);
	return NULL;
}

/* Connections the workers are done with (threaded). */
static void take_back(struct server *sv)
{
	char buf[64];
	while (read(sv->wake[0], buf, sizeof(buf)) > 0)
		;
	/* The two arrays swap under the lock: the workers append to the other
	 * one while this one is read. */
	pthread_mutex_lock(&sv->lock);
	unsigned n = sv->back_n;
	unsigned *v = sv->back;
	sv->back = sv->back_spare;
	sv->back_spare = v;
	sv->back_n = 0;
	pthread_mutex_unlock(&sv->lock);
	for (unsigned k = 0; k < n; k++)
		slot_reclaim(sv, v[k]);
}

/* ---- the dispatcher ---------------------------------------------------------------- */

static void begin_stop(struct server *sv)
{
	long long now = rsp__now_ms();
	sv->stopping = true;
	for (unsigned i = 0; i < sv->hi; i++) {
		struct slot *s = &sv->slots[i];
		if (s->st == SLOT_LINGER && s->deadline > now + STOP_GRACE_MS)
			s->deadline = now + STOP_GRACE_MS;
		if (s->st != SLOT_OPEN)
			continue;
		/* A request may have arrived on a kept connection just now. */
		slot_input(sv, i, true);
		if (s->st != SLOT_OPEN)
			continue;
		if (!rsp__conn_begun(s->conn) && !s->fresh)
			slot_close(sv, i);
		else if (!rsp__conn_begun(s->conn) &&
		    (s->deadline == 0 || s->deadline > now + STOP_GRACE_MS))
			s->deadline = now + STOP_GRACE_MS;
	}
}

static void on_signal_bytes(struct server *sv)
{
	char buf[16];
	ssize_t n;
	while ((n = read(sv->sig_fd, buf, sizeof(buf))) > 0) {
		for (ssize_t k = 0; k < n; k++) {
			if (buf[k] == 'h')
				log_line(sv,
				    "SIGHUP: nothing to reload; still serving",
				    NULL);
			else if (!sv->stopping)
				begin_stop(sv);
		}
	}
}

static bool work_left(struct server *sv)
{
	unsigned queued;
	if (sv->nworkers > 1) {
		pthread_mutex_lock(&sv->lock);
		queued = sv->ready_n;
		pthread_mutex_unlock(&sv->lock);
	} else {
		queued = sv->ready_n;
	}
	if (queued > 0)
		return true;
	for (unsigned i = 0; i < sv->hi; i++)
		if (sv->slots[i].st != SLOT_FREE)
			return true;
	return false;
}

static void expire(struct server *sv, long long now)
{
	for (unsigned i = 0; i < sv->hi; i++) {
		struct slot *s = &sv->slots[i];
		if ((s->st != SLOT_OPEN && s->st != SLOT_LINGER) ||
		    s->deadline == 0 || s->deadline > now)
			continue;
		if (s->st == SLOT_OPEN &&
		    (rsp__conn_begun(s->conn) || !sv->stopping))
			log_line(sv, "closed a FastCGI connection",
			    "no complete request within RSP_READ_TIMEOUT");
		slot_close(sv, i);
	}
}

static int next_timeout(const struct server *sv, long long now)
{
	long long best = -1;
	for (unsigned i = 0; i < sv->hi; i++) {
		const struct slot *s = &sv->slots[i];
		if ((s->st == SLOT_OPEN || s->st == SLOT_LINGER) &&
		    s->deadline != 0 && (best < 0 || s->deadline < best))
			best = s->deadline;
	}
	if (best < 0)
		return -1;
	return best <= now ? 0 : (int)(best - now > 60000 ? 60000 : best - now);
}

/* One poll round's descriptors; map[k] is the slot of pfd[k], or -1. */
static nfds_t gather(struct server *sv, struct pollfd *pfd, int *map)
{
	nfds_t n = 0;
	pfd[n] = (struct pollfd){ sv->sig_fd, POLLIN, 0 };
	map[n++] = -1;
	if (sv->nworkers > 1) {
		pfd[n] = (struct pollfd){ sv->wake[0], POLLIN, 0 };
		map[n++] = -2;
		if (sv->cap_fd >= 0) {
			pfd[n] = (struct pollfd){ sv->cap_fd, POLLIN, 0 };
			map[n++] = -3;
		}
	}
	if (!sv->stopping) {
		pfd[n] = (struct pollfd){ sv->listen_fd, POLLIN, 0 };
		map[n++] = -4;
	}
	for (unsigned i = 0; i < sv->hi; i++) {
		if (sv->slots[i].st != SLOT_OPEN &&
		    sv->slots[i].st != SLOT_LINGER)
			continue;
		pfd[n] = (struct pollfd){ rsp__conn_fd(sv->slots[i].conn),
			POLLIN, 0 };
		map[n++] = (int)i;
	}
	return n;
}

static void handle_events(struct server *sv, struct pollfd *pfd, int *map,
    nfds_t n)
{
	for (nfds_t k = 0; k < n; k++) {
		if (pfd[k].revents == 0)
			continue;
		switch (map[k]) {
		case -1:
			on_signal_bytes(sv);
			break;
		case -2:
			take_back(sv);
			break;
		case -3:
			pthread_mutex_lock(&sv->lock);
			capture_read_locked(sv);
			pthread_mutex_unlock(&sv->lock);
			break;
		case -4:
			if (!sv->stopping)
				accept_some(sv);
			break;
		default:
			if (sv->slots[map[k]].st == SLOT_OPEN)
				slot_input(sv, (unsigned)map[k], true);
			else if (sv->slots[map[k]].st == SLOT_LINGER &&
			    rsp__conn_linger_read(sv->slots[map[k]].conn) == 0)
				slot_close(sv, (unsigned)map[k]);
		}
	}
}

static void serve_ready_inline(struct server *sv)
{
	while (sv->ready_n > 0) {
		unsigned i = sv->ready[sv->ready_head];
		sv->ready_head = (sv->ready_head + 1) % sv->nslots;
		sv->ready_n--;
		serve(&sv->workers[0], i);
	}
}

static int dispatch(struct server *sv)
{
	struct pollfd *pfd = calloc(sv->nslots + 4, sizeof(*pfd));
	int *map = calloc(sv->nslots + 4, sizeof(*map));
	if (pfd == NULL || map == NULL) {
		free(pfd);
		free(map);
		return -1;
	}
	for (;;) {
		if (sv->nworkers == 1)
			serve_ready_inline(sv);
		if (sv->stopping && !work_left(sv))
			break;
		nfds_t n = gather(sv, pfd, map);
		int rc = poll(pfd, n, next_timeout(sv, rsp__now_ms()));
		if (rc < 0 && errno != EINTR)
			break;
		if (rc > 0)
			handle_events(sv, pfd, map, n);
		expire(sv, rsp__now_ms());
	}
	free(pfd);
	free(map);
	return 0;
}

/* ---- set-up and tear-down ------------------------------------------------------------ */

static int start_workers(struct server *sv)
{
	int started = 0;
	if (pipe2(sv->wake, O_CLOEXEC | O_NONBLOCK) != 0)
		return -1;
	pthread_mutex_init(&sv->lock, NULL);
	pthread_cond_init(&sv->cond, NULL);
	for (int i = 0; i < sv->nworkers; i++) {
		if (pthread_create(&sv->workers[i].tid, NULL, worker_main,
		        &sv->workers[i]) != 0)
			break;
		started++;
	}
	return started;
}

static void stop_workers(struct server *sv, int started)
{
	pthread_mutex_lock(&sv->lock);
	sv->quit = true;
	pthread_cond_broadcast(&sv->cond);
	pthread_mutex_unlock(&sv->lock);
	for (int i = 0; i < started; i++)
		pthread_join(sv->workers[i].tid, NULL);
	take_back(sv);
	close(sv->wake[0]);
	close(sv->wake[1]);
}

static bool server_alloc(struct server *sv)
{
	sv->slots = calloc(sv->nslots, sizeof(*sv->slots));
	sv->ready = calloc(sv->nslots, sizeof(*sv->ready));
	sv->back = calloc(sv->nslots, sizeof(*sv->back));
	sv->back_spare = calloc(sv->nslots, sizeof(*sv->back_spare));
	sv->workers = calloc((size_t)sv->nworkers, sizeof(*sv->workers));
	if (sv->slots == NULL || sv->ready == NULL || sv->back == NULL ||
	    sv->back_spare == NULL || sv->workers == NULL)
		return false;
	for (int i = 0; i < sv->nworkers; i++)
		sv->workers[i].sv = sv;
	return true;
}

static void server_free(struct server *sv)
{
	for (unsigned i = 0; sv->slots != NULL && i < sv->nslots; i++)
		rsp__conn_free(sv->slots[i].conn);
	if (sv->nworkers == 1 && sv->workers != NULL)
		worker_free(&sv->workers[0]);
	free(sv->slots);
	free(sv->ready);
	free(sv->back);
	free(sv->back_spare);
	free(sv->workers);
}

/* The listening socket: named by RSP_FCGI_SOCKET, or handed over. */
static int open_listener(struct server *sv, const char *spec, int inherited)
{
	char err[512];
	if (spec == NULL) {
		sv->listen_fd = inherited;
	} else if ((sv->listen_fd = rsp__listen_open(spec, err, sizeof(err))) <
	    0) {
		fprintf(stderr, "respond: %s\n", err);
		return -1;
	}
	const char *addrs = getenv("FCGI_WEB_SERVER_ADDRS");
	if (addrs != NULL && *addrs != '\0' &&
	    rsp__listen_is_inet(sv->listen_fd) &&
	    rsp__allow_parse(addrs, &sv->allow, err, sizeof(err)) != 0) {
		fprintf(stderr, "respond: %s\n", err);
		return -1;
	}
	/* Several processes may share the socket: none may block in accept. */
	fcntl(sv->listen_fd, F_SETFL,
	    fcntl(sv->listen_fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

static int run(struct server *sv)
{
	int started = 1, rc = 0;
	capture_start(sv);
	if (sv->nworkers > 1)
		started = start_workers(sv);
	if (started <= 0) {
		log_line(sv, "cannot start worker threads", NULL);
		rc = 1;
	} else if (dispatch(sv) != 0) {
		log_line(sv, "out of memory", NULL);
		rc = 1;
	}
	if (sv->nworkers > 1 && started >= 0)
		stop_workers(sv, started);
	capture_stop(sv); /* takes the lock: the workers are gone */
	if (sv->nworkers > 1 && started >= 0) {
		pthread_mutex_destroy(&sv->lock);
		pthread_cond_destroy(&sv->cond);
	}
	return rc;
}

int rsp__serve_fcgi(const struct rsp__app *app, const char *spec, int inherited)
{
	struct server sv = {
		.app = app, .listen_fd = -1, .sig_fd = -1, .err_fd = -1
	};
	struct saved_signals ss;
	int rc = 1;

	sv.cfg = app->fcgi;
	sv.nworkers = app->threads;
	sv.drain_ms = app->drain_ms;
	sv.nslots = app->fcgi.max_conns;
	sv.mem_fd = sv.cap_fd = -1;
	if (!server_alloc(&sv)) {
		fputs("respond: out of memory\n", stderr);
	} else if (signals_start(&sv, &ss) != 0) {
		fprintf(stderr, "respond: pipe: %s\n", strerror(errno));
	} else {
		/* Caught before the socket exists: a SIGTERM that comes as soon
		 * as the socket accepts still means "stop cleanly". */
		if (open_listener(&sv, spec, inherited) == 0)
			rc = run(&sv);
		signals_stop(&ss);
	}
	if (spec != NULL && sv.listen_fd >= 0)
		close(sv.listen_fd);
	server_free(&sv);
	rsp__allow_free(sv.allow);
	return rc;
}
