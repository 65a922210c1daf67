/* child.c - starting PROGRAM: its pipes, our signal handling, fork and
 * execve in its own process group and directory with only the request's
 * environment, and an exec failure reported back through a pipe. */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "respond-run.h"

volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	if (sig != SIGCHLD)
		got_signal = sig;
}

/* Make sure descriptors 0, 1 and 2 are open, so pipes never land there. */
void guard_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0) {
			int n =
			    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
			if (n < 0)
				exit(EXIT_FAILED);
			if (n != fd) {
				dup2(n, fd);
				close(n);
			}
		}
}

static _Noreturn void child_exec(const struct request *rq, int in_fd,
    int out_fd, int err_fd, int report_fd);
static void child_exec(const struct request *rq, int in_fd, int out_fd,
    int err_fd, int report_fd)
{
	int stage = 0, e = 0;
	static const int sigs[] = { SIGPIPE, SIGCHLD, SIGINT, SIGTERM, SIGHUP,
		SIGQUIT };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) {
		stage = 1;
		e = errno;
		goto report;
	}
	/* Nothing else reaches the program: mark every other descriptor
     * close-on-exec (the report pipe already is). */
#if defined(SYS_close_range)
	if (syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) !=
	    0)
#endif
	{
		long max = sysconf(_SC_OPEN_MAX);
		if (max < 0 || max > 65536)
			max = 65536;
		for (int fd = 3; fd < max; fd++)
			if (fd != report_fd)
				(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	if (chdir(rq->dir) != 0) {
		stage = 2;
		e = errno;
		goto report;
	}
	char *argv[2];
	argv[0] = rq->filename;
	argv[1] = NULL;
	execve(rq->filename, argv, rq->env.v);
	stage = 3;
	e = errno;
report:;
	int msg[2] = { stage, e };
	ssize_t w = write(report_fd, msg, sizeof msg);
	(void)w;
	_exit(127);
}

/* Our signals are blocked except while waiting in ppoll(). */
static void take_signals(struct child *ch)
{
	static const int handled[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP };
	sigset_t ours;
	sigemptyset(&ours);
	for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
		sigaddset(&ours, handled[i]);
	sigprocmask(SIG_BLOCK, &ours, &ch->orig);
	ch->waitmask = ch->orig;
	for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++) {
		struct sigaction sa, old;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(handled[i], NULL, &old);
		if (handled[i] != SIGCHLD && old.sa_handler == SIG_IGN)
			continue; /* keep ignoring, as nohup wants */
		sigaction(handled[i], &sa, NULL);
		sigdelset(&ch->waitmask, handled[i]);
	}
}

/* The program must be a file we can name before anything starts. */
void check_program(const struct request *rq, const char *prog)
{
	struct stat st;
	if (stat(rq->filename, &st) != 0) {
		error_msg("cannot run %s: %s", prog, strerror(errno));
		exit(EXIT_FAILED);
	}
	if (S_ISDIR(st.st_mode)) {
		error_msg("cannot run %s: it is a directory", prog);
		exit(EXIT_FAILED);
	}
}

/* Fork and exec; on any failure say so and exit 1. */
void spawn(struct child *ch, const struct request *rq, const char *prog)
{
	int in_p[2] = { -1, -1 }, out_p[2], err_p[2], rep_p[2];
	if ((rq->has_body ? pipe2(in_p, O_CLOEXEC) : 0) != 0 ||
	    pipe2(out_p, O_CLOEXEC) != 0 || pipe2(err_p, O_CLOEXEC) != 0 ||
	    pipe2(rep_p, O_CLOEXEC) != 0) {
		error_msg("pipe: %s", strerror(errno));
		exit(EXIT_FAILED);
	}
	int child_in =
	    rq->has_body ? in_p[0] : open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (child_in < 0) {
		error_msg("/dev/null: %s", strerror(errno));
		exit(EXIT_FAILED);
	}
	take_signals(ch);
	pid_t pid = fork();
	if (pid < 0) {
		error_msg("fork: %s", strerror(errno));
		exit(EXIT_FAILED);
	}
	if (pid == 0)
		child_exec(rq, child_in, out_p[1], err_p[1], rep_p[1]);
	setpgid(pid, pid); /* also done by the child: no race */
	close(child_in);
	close(out_p[1]);
	close(err_p[1]);
	close(rep_p[1]);

	int msg[2];
	ssize_t got;
	do
		got = read(rep_p[0], msg, sizeof msg);
	while (got < 0 && errno == EINTR);
	close(rep_p[0]);
	if (got == (ssize_t)sizeof msg) {
		int wst;
		while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
			;
		error_msg("cannot run %s: %s%s", prog,
		    msg[0] == 2 ? "cannot change to its directory: " : "",
		    strerror(msg[1]));
		exit(EXIT_FAILED);
	}
	ch->pid = pid;
	ch->in_fd = rq->has_body ? in_p[1] : -1;
	ch->out_fd = out_p[0];
	ch->err_fd = err_p[0];
}
