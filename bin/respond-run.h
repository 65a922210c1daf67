/* respond-run.h - what the parts of respond-run share: the options, the
 * request, the output with its checker, and each part's entry points.
 *
 *   options.c    command line (getopt_long) -> struct opts, --help
 *   request.c    URL, header fields, body -> environment + stdin bytes
 *   child.c      fork/exec in its own process group with a clean environment
 *   pump.c       poll(): body -> child stdin, child stdout -> output,
 *                child stderr -> our stderr; timeout; reaping; exit report
 *   output.c     the checker (common/checker.c) over the output, -i, the body
 *   diag.c       violations, warnings and errors, printed at the end
 *   util.c       allocation that cannot fail, byte buffers, small helpers
 */
#ifndef RESPOND_RUN_H
#define RESPOND_RUN_H

#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <sys/types.h>

#include "checker.h"

/* The package's version, which configure takes from lib/respond.h. */
#include "config.h"
#define RESPOND_RUN_VERSION PACKAGE_VERSION

#define PROG "respond-run"
#define HEADER_CAP 65536 /* largest header block accepted */
#define REMOTE_PORT "54321"
#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

#define EXIT_GOOD 0
#define EXIT_FAILED 1
#define EXIT_VIOLATION 2
#define EXIT_USAGE 64

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* ---- util.c ---- */

struct buf {
	char *p;
	size_t len, cap;
};

_Noreturn void die_oom(void);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);
char *xstrdup(const char *s);
char *xvasprintf(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
void buf_add(struct buf *b, const void *d, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_free(struct buf *b);
int write_all(int fd, const void *d, size_t n);
void err_puts(const char *s);
int read_file(const char *path, struct buf *b);
int is_tchar(unsigned char c);
int is_token(const char *s, size_t n);
int ieq(const char *s, size_t n, const char *lit);
const char *base_name(const char *path);
const char *signal_name(int sig);

/* ---- diag.c ---- */

void diag_note(void *arg, const struct rsp_check_note *n);
void diags_print(void);
unsigned diags_violations(void);
void error_msg(const char *fmt, ...) PRINTF_LIKE(1, 2);
_Noreturn void usage_error(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* ---- options.c ---- */

enum hop { HOP_ADD, HOP_ADD_EMPTY, HOP_REMOVE };

struct hdr_op { /* one -H or -b, applied after parsing */
	enum hop op;
	char *name; /* field name as given */
	char *value;
};

struct form_part {
	char *name;
	char *filename; /* NULL: no filename parameter */
	char *type;     /* NULL: no Content-Type line */
	struct buf data;
};

struct opts {
	const char *method;
	struct hdr_op *hops;
	size_t nhops;
	int have_data;
	struct buf data;
	struct form_part *parts;
	size_t nparts;
	char **envs; /* "NAME=VALUE" or "NAME" (remove) */
	size_t nenvs;
	int http2, include, check_only;
	int flavour; /* enum rsp_check_flavour, -1: from PROGRAM */
	const char *output;
	long long timeout_ms;
	const char *program;
	const char *url;
};

void parse_args(struct opts *o, int argc, char **argv);

/* ---- request.c ---- */

struct env {
	char **v;
	size_t n;
};

struct request {
	struct env env;
	int has_body;
	struct buf body;
	char *filename; /* absolute path to execute */
	char *dir;      /* its directory */
	const char *method;
	int head;
};

void build_request(struct opts *o, struct request *rq);

/* ---- output.c ---- */

struct output {
	struct rsp_check check;
	char hdr[HEADER_CAP]; /* the header block, the checker's memory */
	int nph, head, include;
	const char *proto; /* SERVER_PROTOCOL, for the -i status line */
	int fd;
	const char *name;
	int dead;   /* stop writing (EPIPE or error) */
	int failed; /* write error other than EPIPE */
};

void output_open(struct output *r, const struct opts *o, int head);
void output_feed(struct output *r, const char *d, size_t n);
void output_finish(struct output *r);
void output_close(struct output *r);
int check_only(const struct opts *o);

/* ---- child.c ---- */

struct child {
	pid_t pid;
	int in_fd, out_fd, err_fd; /* our ends of its pipes, -1: closed */
	sigset_t orig, waitmask;   /* the mask to restore; ppoll()'s */
};

void guard_std_fds(void);
void check_program(const struct request *rq, const char *prog);
void spawn(struct child *ch, const struct request *rq, const char *prog);
extern volatile sig_atomic_t got_signal;

/* ---- pump.c ---- */

int pump(struct child *ch, const struct request *rq, struct output *out,
    const struct opts *o);

#endif
