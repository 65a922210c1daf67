/*
 * runner.c - rsp_run: serve a handler as a CGI program (environment, stdin,
 * stdout) or as a FastCGI application through libfcgi (a listening socket
 * on fd 0, or RSP_FCGI_SOCKET), with worker threads and a clean SIGTERM.
 * Per-request memory is reused across FastCGI requests and released in one
 * place, so a long-lived worker stays flat.
 *
 * One FastCGI worker (the default) runs in the calling thread and the
 * process stays single-threaded: SIGTERM arrives through a signalfd, the
 * handler's stderr goes to a memory file that never fills.  With several,
 * the main thread waits for the signal and a pump thread drains a pipe.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* memfd_create */
#endif
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define STDERR_KEEP (64 * 1024)  /* handler stderr held for the error stream */

/* Everything one rsp_run shares between its threads. */
struct runner {
	rsp_handler handler;
	void *arg;
	struct rsp_options opts;
	struct rsp_limits lim;
	int listen_fd;
	int stop[2];                 /* [0] readable once stopping: wakes every poll
	                                (a pipe; one worker: a signalfd) */
	bool threaded;               /* workers in threads of their own */
	int err_fd;                  /* the process's stderr before capture */
	int cap[2];                  /* handler stderr, captured in FastCGI mode */
	int mem_fd;                  /* one worker: stderr is this memory file */
	pthread_mutex_t lock;        /* the captured stderr, the worker count */
	pthread_mutex_t accept_lock; /* one worker waits for a connection at a
	                                time; never held while serving, so a
	                                waiting worker cannot hold up the others */
	struct rsp_buffer held;      /* captured stderr not yet forwarded */
	pthread_t main_thread;
	pthread_t pump;
	bool pumping;
	int live_workers;
	bool stopping;               /* main thread no longer waits in sigwait */
};

/* One FastCGI worker: its libfcgi request and its reused objects. */
struct worker {
	struct runner *rn;
	const struct rsp__fcgi *fc;  /* libfcgi, loaded */
	FCGX_Request fr;
	rsp_request *req;
	rsp_response *res;
	bool in_handler;
	bool early;                  /* the handler finished the response itself */
	bool wrote_err;              /* something went to libfcgi's error stream */
	bool fcgx_done;              /* FCGX_Finish_r called for this request */
};

/* ---- serving one request, in either mode --------------------------------- */

static int bad_request_code(int st)
{
	return st == RSP_ELIMIT ? 413 : 400;
}

/*
 * Call the handler unless the request was refused, and prepare what goes
 * out if the handler did not: a 400/413 for a refused request, or a 500
 * when the handler failed before writing anything.
 */
static void call_handler(const struct runner *rn, rsp_request *req, rsp_response *res)
{
	struct rsp__response *r = rsp__res(res);
	int st = rsp_request_status(req);

	if (st != RSP_OK && !rn->opts.see_bad_requests) {
		rsp_set_error(res, bad_request_code(st), rsp_strerror(st));
	} else {
		int rc = rn->handler(req, res, rn->arg);
		if (rc != 0 && !r->writer.used && !r->writer.finished) {
			char msg[96];
			if (rc < 0 && rc >= RSP_ECALLBACK)
				snprintf(msg, sizeof(msg), "handler failed: %s", rsp_strerror(rc));
			else
				snprintf(msg, sizeof(msg), "handler failed with status %d", rc);
			rsp_set_error(res, 500, msg);
		}
	}
}

/* Send whatever the handler left unsent, unless it finished by itself. */
static int end_response(rsp_response *res)
{
	struct rsp__response *r = rsp__res(res);
	if (r->writer.finished)
		return r->writer.err ? r->writer.err : RSP_OK;
	return rsp_finish(res);
}

/* ---- CGI ------------------------------------------------------------------- */

static bool program_is_nph(void)
{
	const char *name = program_invocation_short_name;
	return name != NULL && name[0] == 'n' && name[1] == 'p' && name[2] == 'h' &&
	    name[3] == '-';
}

static int run_cgi(struct runner *rn)
{
	rsp_request *req = rsp__request_new_env(environ, 0, &rn->lim);
	if (req == NULL) {
		fputs("respond: out of memory\n", stderr);
		return 1;
	}
	rsp_response *res = rsp_response_new(req, rsp_sink_fd(1));
	if (res == NULL) {
		rsp_request_free(req);
		fputs("respond: out of memory\n", stderr);
		return 1;
	}
	if (program_is_nph() && rsp_flavour(res) == RSP_CGI)
		rsp_set_flavour(res, RSP_NPH);
	struct rsp__access *acc = rsp__access_begin(&rn->opts, req, res);
	call_handler(rn, req, res);
	int rc = end_response(res);
	rsp__access_end(acc, res);
	rsp_response_free(res);
	rsp_request_free(req);
	return rc == RSP_OK ? 0 : 1;
}

/* ---- FastCGI: the handler's stderr and the library's log ------------------ */

/* A single worker shares nothing: no lock to take. */
static void lock(pthread_mutex_t *m, const struct runner *rn)
{
	if (rn->threaded)
		pthread_mutex_lock(m);
}

static void unlock(pthread_mutex_t *m, const struct runner *rn)
{
	if (rn->threaded)
		pthread_mutex_unlock(m);
}

static void write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

/* Move what the handler wrote to stderr into rn->held (lock held). */
static void capture_locked(struct runner *rn)
{
	char buf[4096];
	ssize_t n;
	if (rn->cap[0] < 0)
		return;
	while ((n = read(rn->cap[0], buf, sizeof(buf))) > 0) {
		size_t room = rn->held.len < STDERR_KEEP ? STDERR_KEEP - rn->held.len : 0;
		if ((size_t)n > room) {
			/* The error stream is a log, not a store: keep the newest. */
			write_all(rn->err_fd, rn->held.data, rn->held.len);
			rn->held.len = 0;
		}
		rsp__buf_append(&rn->held, buf, (size_t)n);
	}
}

/* Keeps the capture pipe from filling while a handler writes a lot. */
static void *stderr_pump(void *arg)
{
	struct runner *rn = arg;
	struct pollfd p[2] = { { rn->cap[0], POLLIN, 0 }, { rn->stop[0], POLLIN, 0 } };
	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		pthread_mutex_lock(&rn->lock);
		capture_locked(rn);
		pthread_mutex_unlock(&rn->lock);
	}
	return NULL;
}

/*
 * One worker: fd 2 becomes a memory file, emptied after each request.  A
 * file never blocks its writer, so no thread has to drain it, and what a
 * request wrote is all there when the request ends.
 */
static void start_capture_file(struct runner *rn)
{
	rn->err_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
	rn->mem_fd = rn->err_fd >= 0 ? memfd_create("respond-stderr", MFD_CLOEXEC) : -1;
	if (rn->mem_fd < 0)
		return;
	dup2(rn->mem_fd, 2);
	setvbuf(stderr, NULL, _IONBF, 0);
}

/* Hand what the handler wrote to stderr since the last time to put_err. */
static void drain_file(struct worker *wk);

static void start_capture(struct runner *rn)
{
	rn->cap[0] = rn->cap[1] = -1;
	if (!rn->threaded) {
		start_capture_file(rn);
		return;
	}
	rn->err_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
	if (rn->err_fd < 0 || pipe(rn->cap) != 0) {
		rn->cap[0] = rn->cap[1] = -1;
		return;
	}
	fcntl(rn->cap[0], F_SETFL, O_NONBLOCK);
	fcntl(rn->cap[0], F_SETFD, FD_CLOEXEC);
	dup2(rn->cap[1], 2);
	close(rn->cap[1]);
	rn->cap[1] = -1;
	setvbuf(stderr, NULL, _IONBF, 0);
	rn->pumping = pthread_create(&rn->pump, NULL, stderr_pump, rn) == 0;
}

/* After rn->stop was written: the pump has been told to go. */
static void stop_capture(struct runner *rn)
{
	if (rn->mem_fd >= 0) {
		struct worker none = { .rn = rn, .fcgx_done = true };
		drain_file(&none);      /* left over: the process's stderr */
		if (rn->err_fd >= 0)
			dup2(rn->err_fd, 2);
		close(rn->mem_fd);
		rn->mem_fd = -1;
	}
	if (!rn->threaded) {
		if (rn->err_fd >= 0)
			close(rn->err_fd);
		rn->err_fd = -1;
		return;
	}
	if (rn->pumping)
		pthread_join(rn->pump, NULL);
	rn->pumping = false;
	pthread_mutex_lock(&rn->lock);
	capture_locked(rn);
	if (rn->err_fd >= 0)
		write_all(rn->err_fd, rn->held.data, rn->held.len);
	rn->held.len = 0;
	pthread_mutex_unlock(&rn->lock);
	if (rn->err_fd >= 0) {
		dup2(rn->err_fd, 2);
		close(rn->err_fd);
		rn->err_fd = -1;
	}
	pthread_mutex_lock(&rn->lock);
	if (rn->cap[0] >= 0) {
		close(rn->cap[0]);
		rn->cap[0] = -1;
	}
	pthread_mutex_unlock(&rn->lock);
}

static void put_err(struct worker *wk, const char *msg, size_t len)
{
	if (wk->fcgx_done || wk->fr.err == NULL) {
		write_all(wk->rn->err_fd >= 0 ? wk->rn->err_fd : 2, msg, len);
		return;
	}
	struct rsp__sigpipe st;
	rsp__sigpipe_block(&st);
	wk->fc->PutStr(msg, (int)len, wk->fr.err);
	rsp__sigpipe_unblock(&st, wk->fr.err->FCGI_errno == EPIPE);
	wk->wrote_err = true;
}

static void drain_file(struct worker *wk)
{
	struct runner *rn = wk->rn;
	off_t end = lseek(rn->mem_fd, 0, SEEK_CUR);
	if (end <= 0)
		return;                 /* the usual case: one lseek, nothing else */
	char buf[4096];
	for (off_t at = 0; at < end;) {
		size_t want = end - at < (off_t)sizeof(buf) ? (size_t)(end - at) : sizeof(buf);
		ssize_t n = pread(rn->mem_fd, buf, want, at);
		if (n <= 0)
			break;
		put_err(wk, buf, (size_t)n);
		at += n;
	}
	if (ftruncate(rn->mem_fd, 0) == 0)
		lseek(rn->mem_fd, 0, SEEK_SET);
}

/* Forward what the handler wrote to stderr to this request's error stream. */
static void forward_stderr(struct worker *wk)
{
	struct runner *rn = wk->rn;
	if (rn->mem_fd >= 0) {
		drain_file(wk);
		return;
	}
	/* Several workers (or one whose memory file could not be made, which
	 * then captures nothing and has no lock to take). */
	lock(&rn->lock, rn);
	capture_locked(rn);
	if (rn->held.len > 0)
		put_err(wk, rn->held.data, rn->held.len);
	rn->held.len = 0;
	unlock(&rn->lock, rn);
}

static void log_to_request(void *ctx, const char *msg, size_t len)
{
	put_err(ctx, msg, len);
}

/* ---- FastCGI: requests ------------------------------------------------------ */

static int fcgx_read(void *ctx, void *buf, size_t len)
{
	struct worker *wk = ctx;
	return wk->fc->GetStr(buf, len > (1u << 30) ? (1 << 30) : (int)len, wk->fr.in);
}

static void finish_guarded(struct worker *wk)
{
	struct rsp__sigpipe st;
	rsp__sigpipe_block(&st);
	wk->fc->Finish_r(&wk->fr);
	rsp__sigpipe_unblock(&st, true);
}

/*
 * Ends the FastCGI request, from rsp_finish (early, or after the handler):
 * the unsent output, the end of stdout and FCGI_END_REQUEST leave in one
 * write of our own; libfcgi's streams are marked closed so that
 * FCGX_Finish_r only frees.  When the error stream holds something, libfcgi
 * ends the streams itself.
 */
static int finish_fcgx(void *ctx, const void *tail, size_t len)
{
	struct worker *wk = ctx;
	if (wk->fcgx_done)
		return RSP_OK;
	/* The handler goes on after an early finish: keep what it may read. */
	int rc = RSP_OK;
	if (wk->in_handler) {
		wk->early = true;
		rc = rsp__request_detach(wk->req);
	}
	forward_stderr(wk);
	int out = RSP_OK;
	if (!wk->wrote_err && wk->fr.ipcFd >= 0 && wk->fr.out != NULL) {
		out = rsp__fcgi_send(&wk->fr, tail, len, true);
		wk->fr.out->isClosed = 1;
		wk->fr.err->isClosed = 1;
		wk->fc->Finish_r(&wk->fr);
	} else {
		if (len > 0)
			out = rsp__fcgi_send(&wk->fr, tail, len, false);
		finish_guarded(wk);
	}
	wk->fcgx_done = true;
	return out != RSP_OK ? out : rc;
}

/* Wait for a connection (or the next request on a kept one), or for stop. */
static bool wait_for_work(struct worker *wk)
{
	struct runner *rn = wk->rn;
	int fd = wk->fr.ipcFd >= 0 ? wk->fr.ipcFd : rn->listen_fd;
	struct pollfd p[2] = { { fd, POLLIN, 0 }, { rn->stop[0], POLLIN, 0 } };
	for (;;) {
		int n = poll(p, 2, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || p[1].revents)
			return false;
		return true;
	}
}

static bool accept_next(struct worker *wk)
{
	struct runner *rn = wk->rn;
	bool ok = false;
	/* The next request on a kept connection needs no accept. */
	if (wk->fr.ipcFd >= 0)
		return wait_for_work(wk) && wk->fc->Accept_r(&wk->fr) >= 0;
	/* One thread accepts at a time, so none sleeps in accept at shutdown. */
	lock(&rn->accept_lock, rn);
	if (wait_for_work(wk))
		ok = wk->fc->Accept_r(&wk->fr) >= 0;
	unlock(&rn->accept_lock, rn);
	return ok;
}

static void serve_fcgx(struct worker *wk)
{
	struct runner *rn = wk->rn;
	if (wk->req == NULL)
		wk->req = rsp__request_new_reader(wk->fr.envp, fcgx_read, wk, &rn->lim);
	else
		rsp__request_reset(wk->req, wk->fr.envp, fcgx_read, wk, &rn->lim);
	if (wk->req == NULL)
		return;
	if (wk->res == NULL)
		wk->res = rsp_response_new(wk->req, rsp__sink_fcgx_request(&wk->fr));
	else
		rsp__response_reset(wk->res, wk->req, rsp__sink_fcgx_request(&wk->fr));
	if (wk->res == NULL)
		return;
	/* FastCGI has no NPH: the web server always parses the header block. */
	if (rsp_flavour(wk->res) == RSP_NPH)
		rsp_set_flavour(wk->res, RSP_CGI);
	rsp__response_set_log(wk->res, log_to_request, wk);
	rsp__response_set_finish(wk->res, finish_fcgx, wk);
	wk->fcgx_done = wk->early = wk->wrote_err = false;
	wk->in_handler = true;
	struct rsp__access *acc = rsp__access_begin(&rn->opts, wk->req, wk->res);
	call_handler(rn, wk->req, wk->res);
	wk->in_handler = false;
	end_response(wk->res);
	finish_fcgx(wk, NULL, 0);
	rsp__access_end(acc, wk->res);
	/* Written after an early finish: the process's own stderr gets it. */
	if (wk->early)
		forward_stderr(wk);
}

/* Serve requests until told to stop; then release the worker's objects. */
static void serve_loop(struct worker *wk)
{
	while (accept_next(wk))
		serve_fcgx(wk);
	wk->fc->Free(&wk->fr, 1);
	rsp_response_free(wk->res);
	rsp_request_free(wk->req);
	wk->res = NULL;
	wk->req = NULL;
}

static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct runner *rn = wk->rn;

	serve_loop(wk);
	pthread_mutex_lock(&rn->lock);
	bool last = --rn->live_workers == 0 && !rn->stopping;
	pthread_mutex_unlock(&rn->lock);
	/* The last worker out wakes the main thread if nothing else will. */
	if (last)
		pthread_kill(rn->main_thread, SIGUSR2);
	return NULL;
}

/* RSP_FCGI_SOCKET: a path, ":port" (loopback only) or "host:port". */
static int open_socket(const struct rsp__fcgi *fc, const char *spec)
{
	char buf[300];
	if (spec[0] == ':') {
		snprintf(buf, sizeof(buf), "127.0.0.1%s", spec);
		spec = buf;
	}
	return fc->OpenSocket(spec, 128);
}

/* Take back a wake-up or a second SIGTERM that came meanwhile. */
static void consume_signals(const sigset_t *set)
{
	struct timespec zero = { 0, 0 };
	while (sigtimedwait(set, NULL, &zero) > 0)
		;
}

/*
 * One worker, in this thread: the process stays single-threaded, so libc
 * takes no locks and no cancellation points, and nothing is handed between
 * threads.  SIGTERM and SIGINT stay blocked; a signalfd makes them readable
 * in the same poll that waits for the next request.
 */
static int run_fcgi_single(struct runner *rn, const struct rsp__fcgi *fc, int listen_fd)
{
	sigset_t set, old;
	struct worker wk = { .rn = rn, .fc = fc };

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	rn->stop[0] = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	rn->stop[1] = -1;
	if (rn->stop[0] < 0) {
		perror("respond: signalfd");
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return 1;
	}
	rn->listen_fd = listen_fd;
	start_capture(rn);
	fc->InitRequest(&wk.fr, listen_fd, 0);
	serve_loop(&wk);
	stop_capture(rn);
	close(rn->stop[0]);
	consume_signals(&set);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

/* RSP_THREADS: 1..256 workers; anything else is the default, 1. */
static int threads_from_env(void)
{
	const char *s = getenv("RSP_THREADS");
	int n = 0;
	if (s == NULL || *s == '\0')
		return 1;
	for (; *s >= '0' && *s <= '9' && n <= 256; s++)
		n = n * 10 + (*s - '0');
	return *s == '\0' && n >= 1 && n <= 256 ? n : 1;
}

static int run_fcgi(struct runner *rn, const struct rsp__fcgi *fc, int listen_fd)
{
	int nthreads = rn->opts.threads > 0 ? rn->opts.threads : threads_from_env();
	sigset_t set, old;
	int sig;

	if (nthreads == 1)
		return run_fcgi_single(rn, fc, listen_fd);
	rn->threaded = true;

	rn->listen_fd = listen_fd;
	if (pipe(rn->stop) != 0) {
		perror("respond: pipe");
		return 1;
	}
	/* Threads are a FastCGI matter: a CGI run never touches these. */
	rn->main_thread = pthread_self();
	pthread_mutex_init(&rn->lock, NULL);
	pthread_mutex_init(&rn->accept_lock, NULL);
	/* SIGTERM and SIGINT are taken by sigwait below, in the main thread only. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	start_capture(rn);

	struct worker *wks = calloc((size_t)nthreads, sizeof(*wks));
	pthread_t *tids = calloc((size_t)nthreads, sizeof(*tids));
	int started = 0;
	if (wks != NULL && tids != NULL) {
		for (int i = 0; i < nthreads; i++) {
			wks[i].rn = rn;
			wks[i].fc = fc;
			fc->InitRequest(&wks[i].fr, listen_fd, 0);
			pthread_mutex_lock(&rn->lock);
			rn->live_workers++;
			pthread_mutex_unlock(&rn->lock);
			if (pthread_create(&tids[i], NULL, worker_main, &wks[i]) != 0) {
				pthread_mutex_lock(&rn->lock);
				rn->live_workers--;
				pthread_mutex_unlock(&rn->lock);
				break;
			}
			started++;
		}
	}
	if (started > 0)
		sigwait(&set, &sig);
	/* Stop: every poll wakes (one worker may hold the accept lock while it waits);
	 * requests in progress finish first. */
	write_all(rn->stop[1], "x", 1);
	pthread_mutex_lock(&rn->lock);
	rn->stopping = true;
	pthread_mutex_unlock(&rn->lock);
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	stop_capture(rn);
	free(wks);
	free(tids);
	close(rn->stop[0]);
	close(rn->stop[1]);
	rsp_buffer_free(&rn->held);
	pthread_mutex_destroy(&rn->lock);
	pthread_mutex_destroy(&rn->accept_lock);
	consume_signals(&set);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return started > 0 ? 0 : 1;
}

/* A FastCGI application is started with a listening socket on fd 0. */
static bool fd0_listens(void)
{
	struct stat sb;
	int v = 0;
	socklen_t len = sizeof(v);
	/* CGI stdin is a pipe, a file or /dev/null: one fstat tells. */
	if (fstat(0, &sb) != 0 || !S_ISSOCK(sb.st_mode))
		return false;
	return getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 && v != 0;
}

/* ---- entry points -------------------------------------------------------------- */

int rsp_run_with(rsp_handler handler, void *arg, const struct rsp_options *opts)
{
	struct runner rn;
	struct rsp_limits lim = { 0 };

	if (handler == NULL)
		return 64;
	memset(&rn, 0, sizeof(rn));
	rn.handler = handler;
	rn.arg = arg;
	if (opts != NULL)
		rn.opts = *opts;
	lim.max_body = rn.opts.max_body;
	rsp__limits_resolve(&rn.lim, &lim);
	rn.err_fd = -1;
	rn.cap[0] = rn.cap[1] = -1;
	rn.mem_fd = -1;

	int rc;
	const struct rsp__fcgi *fc = NULL;
	const char *sock = getenv("RSP_FCGI_SOCKET");
	bool fcgi = (sock != NULL && *sock != '\0') || fd0_listens();
	if (!fcgi) {
		rc = run_cgi(&rn);
	} else if ((fc = rsp__fcgi()) == NULL) {
		fprintf(stderr, "respond: cannot load libfcgi: %s\n", rsp__fcgi_error());
		rc = 1;
	} else if (fc->Init() != 0) {
		fputs("respond: FastCGI initialisation failed\n", stderr);
		rc = 1;
	} else if (sock != NULL && *sock != '\0') {
		int fd = open_socket(fc, sock);
		if (fd < 0) {
			fprintf(stderr, "respond: cannot listen on %s\n", sock);
			rc = 1;
		} else {
			rc = run_fcgi(&rn, fc, fd);
			close(fd);
		}
	} else {
		rc = run_fcgi(&rn, fc, 0);
	}
	return rc;
}

int rsp_run(rsp_handler handler, void *arg)
{
	return rsp_run_with(handler, arg, NULL);
}
