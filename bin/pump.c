/* pump.c - the run's loop: the request body into PROGRAM's standard input,
 * its standard output through the checker, its standard error through to
 * ours as it comes; the timeout, our signals, the reaping; then the exit
 * status, with the errors that decide it. */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "respond-run.h"

struct loop {
	struct child *ch;
	const struct request *rq;
	struct output *out;
	size_t in_off;
	int reaped, wstatus;
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void kill_child(struct loop *l)
{
	kill(-l->ch->pid, SIGKILL);
	if (!l->reaped) {
		kill(l->ch->pid, SIGKILL);
		while (waitpid(l->ch->pid, &l->wstatus, 0) < 0 &&
		    errno == EINTR)
			;
	}
}

/* Interrupted: kill the program, then die of the same signal. */
static _Noreturn void die_of_signal(struct loop *l, const char *prog);
static void die_of_signal(struct loop *l, const char *prog)
{
	int sig = got_signal;
	kill_child(l);
	error_msg("interrupted by %s; killed %s",
	    signal_name(sig) ? signal_name(sig) : "a signal", prog);
	signal(sig, SIG_DFL);
	sigprocmask(SIG_SETMASK, &l->ch->orig, NULL);
	sigset_t one;
	sigemptyset(&one);
	sigaddset(&one, sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	exit(EXIT_FAILED);
}

/* Read what fd has into the output (or our stderr); close it at its end. */
static void drain(struct loop *l, int *fd, int to_output)
{
	static char chunk[65536];
	ssize_t rd = read(*fd, chunk, sizeof chunk);
	if (rd > 0) {
		if (to_output)
			output_feed(l->out, chunk, (size_t)rd);
		else
			(void)write_all(2, chunk, (size_t)rd);
	} else if (rd == 0 || (errno != EINTR && errno != EAGAIN)) {
		close_fd(fd);
	}
}

static void feed_body(struct loop *l)
{
	const struct buf *b = &l->rq->body;
	ssize_t w = write(l->ch->in_fd, b->p + l->in_off, b->len - l->in_off);
	if (w > 0)
		l->in_off += (size_t)w;
	/* EPIPE: the program need not read its input (RFC 3875 §4.2) */
	if ((w < 0 && errno != EAGAIN && errno != EINTR) || l->in_off == b->len)
		close_fd(&l->ch->in_fd);
}

/* One ppoll() round; -1 when poll itself fails. */
static int poll_once(struct loop *l, struct timespec *tsp)
{
	struct child *ch = l->ch;
	struct pollfd pf[3];
	int *fds[3] = { &ch->in_fd, &ch->out_fd, &ch->err_fd };
	int idx[3] = { -1, -1, -1 };
	nfds_t n = 0;
	for (int k = 0; k < 3; k++)
		if (*fds[k] >= 0) {
			pf[n].fd = *fds[k];
			pf[n].events = k == 0 ? POLLOUT : POLLIN;
			idx[k] = (int)n++;
		}
	int pr = ppoll(pf, n, tsp, &ch->waitmask);
	if (pr < 0) {
		if (errno == EINTR)
			return 0;
		error_msg("poll: %s", strerror(errno));
		return -1;
	}
	if (idx[0] >= 0 && pf[idx[0]].revents)
		feed_body(l);
	if (idx[1] >= 0 && pf[idx[1]].revents)
		drain(l, &ch->out_fd, 1);
	if (idx[2] >= 0 && pf[idx[2]].revents)
		drain(l, &ch->err_fd, 0);
	return 0;
}

/* Until the program has exited and both its outputs have ended: returns 0,
 * 1 on a timeout, -1 when poll fails. */
static int run_loop(struct loop *l, const struct opts *o)
{
	long long start = now_ms();
	struct child *ch = l->ch;
	while (!(ch->out_fd < 0 && ch->err_fd < 0 && l->reaped)) {
		if (!l->reaped &&
		    waitpid(ch->pid, &l->wstatus, WNOHANG) == ch->pid) {
			l->reaped = 1;
			continue;
		}
		if (got_signal)
			die_of_signal(l, o->program);
		struct timespec ts, *tsp = NULL;
		if (o->timeout_ms > 0) {
			long long left = start + o->timeout_ms - now_ms();
			if (left <= 0)
				return 1;
			ts.tv_sec = (time_t)(left / 1000);
			ts.tv_nsec = (long)(left % 1000) * 1000000L;
			tsp = &ts;
		}
		if (poll_once(l, tsp) < 0)
			return -1;
	}
	return 0;
}

static char *timeout_text(long long ms)
{
	if (ms % 1000 == 0)
		return xasprintf("%lld s", ms / 1000);
	char *s = xasprintf("%lld.%03lld", ms / 1000, ms % 1000);
	size_t n = strlen(s);
	while (s[n - 1] == '0')
		s[--n] = '\0';
	char *t = xasprintf("%s s", s);
	free(s);
	return t;
}

/* How the program ended, as an error of the run (1) or not (0). */
static int program_failed(const struct loop *l, int timed_out,
    const struct opts *o)
{
	const char *prog = o->program;
	int ws = l->wstatus;
	if (timed_out > 0) {
		char *t = timeout_text(o->timeout_ms);
		error_msg(
		    "%s timed out: %s after %s; killed its process group with "
		    "SIGKILL",
		    prog,
		    l->reaped ? "its output had not ended"
		              : "it had not exited",
		    t);
		free(t);
		return 1;
	}
	if (timed_out < 0)
		return 1;
	if (WIFEXITED(ws) && WEXITSTATUS(ws) != 0) {
		error_msg("%s exited with status %d", prog, WEXITSTATUS(ws));
		return 1;
	}
	if (WIFSIGNALED(ws)) {
		int sig = WTERMSIG(ws);
		const char *name = signal_name(sig);
		error_msg("%s was killed by signal %d%s%s%s%s", prog, sig,
		    name ? " (" : "", name ? name : "", name ? ")" : "",
#ifdef WCOREDUMP
		    WCOREDUMP(ws) ? ", core dumped" :
#endif
		                  "");
		return 1;
	}
	return 0;
}

int pump(struct child *ch, const struct request *rq, struct output *out,
    const struct opts *o)
{
	struct loop l = { ch, rq, out, 0, 0, 0 };
	if (ch->in_fd >= 0) {
		set_nonblock(ch->in_fd);
		if (rq->body.len == 0)
			close_fd(&ch->in_fd);
	}
	int timed_out = run_loop(&l, o);
	if (timed_out)
		kill_child(&l);
	close_fd(&ch->in_fd);
	close_fd(&ch->out_fd);
	close_fd(&ch->err_fd);
	if (!timed_out)
		output_finish(out);
	output_close(out);
	diags_print();
	int failed = program_failed(&l, timed_out, o) | out->failed;
	if (failed)
		return EXIT_FAILED;
	return diags_violations() ? EXIT_VIOLATION : EXIT_GOOD;
}
