/* check_sinks.c - sinks and output faults: rsp_sink_fd to a closed pipe (no SIGPIPE
 * death, sticky RSP_EIO), shrinking files, caller sinks, rsp_sink_buffer, fd to pipe/file. */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#define BIG 200000

/* ---- a caller-supplied sink ---------------------------------------------- */

struct csink {
	struct rsp_buffer got;
	int writes, flushes;
	int fail_from; /* fail from this write on (1-based); 0 never */
	const char *truncate_path; /* truncate this file ... */
	off_t truncate_to;         /* ... to this size ... */
	size_t trigger_after; /* ... once more than this many bytes arrived */
	bool truncated;
};

static int csink_write(void *ctx, const void *data, size_t len)
{
	struct csink *c = ctx;
	c->writes++;
	if (c->fail_from && c->writes >= c->fail_from)
		return RSP_EIO;
	if (c->got.len + len + 1 > c->got.cap) {
		c->got.cap = (c->got.len + len + 1) * 2;
		c->got.data = realloc(c->got.data, c->got.cap);
		if (!c->got.data)
			abort();
	}
	memcpy(c->got.data + c->got.len, data, len);
	c->got.len += len;
	if (c->truncate_path && !c->truncated &&
	    c->got.len > c->trigger_after) {
		if (truncate(c->truncate_path, c->truncate_to) != 0)
			abort();
		c->truncated = true;
	}
	return RSP_OK;
}

static int csink_flush(void *ctx)
{
	struct csink *c = ctx;
	c->flushes++;
	return c->fail_from ? RSP_EIO : RSP_OK;
}

static rsp_sink csink(struct csink *c)
{
	rsp_sink s = { csink_write, csink_flush, c };
	return s;
}

/* ---- running a scenario in a child, so a signal death is seen -------- */

#define CHILD_CHECK(cond, ...)                                 \
	do {                                                   \
		if (!(cond)) {                                 \
			dprintf(msgfd, "line %d: ", __LINE__); \
			dprintf(msgfd, __VA_ARGS__);           \
			_exit(1);                              \
		}                                              \
	} while (0)

static void run_in_child(void (*fn)(int msgfd, int arg), int arg)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	fflush(NULL);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		fn(p[1], arg);
		_exit(0);
	}
	close(p[1]);
	char msg[1024];
	size_t off = 0;
	ssize_t n;
	while (off < sizeof msg - 1 &&
	    (n = read(p[0], msg + off, sizeof msg - 1 - off)) > 0)
		off += (size_t)n;
	msg[off] = 0;
	close(p[0]);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(!WIFSIGNALED(status),
	    "scenario %d: killed by signal %d "
	    "(%s)",
	    arg, WTERMSIG(status), strsignal(WTERMSIG(status)));
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "scenario %d: %s", arg, msg);
}

/* ---- closed pipe: RSP_EIO, no SIGPIPE death, sticky failure ------------- */

enum {
	K_CONTENT,
	K_TEXT,
	K_RAW,
	K_FILE,
	K_FINISH_STRING,
	K_FINISH_FILE,
	K_SMALL_RAW_FLUSH,
	K_COUNT
};
static const char *const kind_names[] = { "write_content", "write", "write_raw",
	"write_content_file", "rsp_finish(string)", "rsp_finish(file)",
	"write_raw+flush" };

/* The write end of a connection whose reader has gone: a pipe, a UNIX
 * socket, or a loopback TCP connection that the peer reset. */
enum { T_PIPE, T_UNIX, T_TCP_RESET, T_COUNT };
static const char *const transport_names[] = { "pipe", "unix socket",
	"tcp reset" };

static int gone_peer(int transport, int msgfd)
{
	int p[2];
	if (transport == T_PIPE) {
		CHILD_CHECK(pipe(p) == 0, "pipe");
		close(p[0]);
		return p[1];
	}
	if (transport == T_UNIX) {
		CHILD_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, p) == 0,
		    "socketpair");
		close(p[0]);
		return p[1];
	}
	int l = socket(AF_INET, SOCK_STREAM, 0);
	CHILD_CHECK(l >= 0, "socket");
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof a;
	CHILD_CHECK(bind(l, (struct sockaddr *)&a, sizeof a) == 0, "bind");
	CHILD_CHECK(listen(l, 1) == 0, "listen");
	CHILD_CHECK(getsockname(l, (struct sockaddr *)&a, &al) == 0,
	    "getsockname");
	int c = socket(AF_INET, SOCK_STREAM, 0);
	CHILD_CHECK(connect(c, (struct sockaddr *)&a, sizeof a) == 0,
	    "connect");
	int srv = accept(l, NULL, NULL);
	CHILD_CHECK(srv >= 0, "accept");
	close(l);
	/* the client closes with unread data: the kernel answers with RST */
	CHILD_CHECK(write(srv, "unread", 6) == 6, "write");
	usleep(20000);
	close(c);
	usleep(50000);
	return srv;
}

static void epipe_scenario(int msgfd, int arg)
{
	int kind = arg % K_COUNT;
	bool ignore = (arg / K_COUNT) % 2 == 1;
	int transport = arg / (2 * K_COUNT);
	char what[128];
	snprintf(what, sizeof what, "%s to a %s", kind_names[kind],
	    transport_names[transport]);
	signal(SIGPIPE, ignore ? SIG_IGN : SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	int out = gone_peer(transport, msgfd);
	rsp_response *res = rsp_response_new(NULL, rsp_sink_fd(out));
	CHILD_CHECK(res != NULL, "rsp_response_new");
	rsp_writer *w = res->writer;

	char *text = malloc(BIG + 1);
	memset(text, 'a', BIG);
	text[BIG] = 0;
	int fd = -1, rc = RSP_OK;
	switch (kind) {
	case K_CONTENT:
		rc = rsp_writer_write_content(w, text, BIG);
		break;
	case K_TEXT:
		rc = rsp_writer_write(w, text, BIG);
		break;
	case K_RAW:
		rc = rsp_writer_write_raw(w, text, BIG);
		break;
	case K_FILE:
		fd = tu_temp_file(BIG, NULL);
		rc = rsp_writer_write_content_file(w, fd);
		CHILD_CHECK(tu_fd_is_closed(fd), "%s: descriptor left open",
		    what);
		break;
	case K_FINISH_STRING:
		rsp_set_content(res, text, BIG);
		rc = rsp_finish(res);
		break;
	case K_FINISH_FILE:
		fd = tu_temp_file(BIG, NULL);
		rsp_set_content_file(res, fd);
		rc = rsp_finish(res);
		break;
	case K_SMALL_RAW_FLUSH:
		rc = rsp_writer_write_raw(w, "x", 1);
		CHILD_CHECK(rc == RSP_OK || rc == RSP_EIO, "%s: write_raw %s",
		    what, rsp_strerror(rc));
		rc = rsp_writer_flush(w);
		break;
	}
	CHILD_CHECK(rc == RSP_EIO,
	    "%s (SIGPIPE %s): returned %s, expected "
	    "RSP_EIO",
	    what, ignore ? "ignored" : "default", rsp_strerror(rc));

	/* every later write fails at once (after rsp_finish, RSP_ESTATE may
	 * come first: the response has ended) */
	bool finished = kind == K_FINISH_STRING || kind == K_FINISH_FILE;
	rc = rsp_writer_write_raw(w, "x", 1);
	CHILD_CHECK(rc == RSP_EIO || (finished && rc == RSP_ESTATE),
	    "%s: later write_raw %s", what, rsp_strerror(rc));
	rc = rsp_writer_write_content(w, "x", 1);
	CHILD_CHECK(rc == RSP_EIO || (finished && rc == RSP_ESTATE),
	    "%s: later write_content %s", what, rsp_strerror(rc));
	if (!finished) {
		rc = rsp_writer_flush(w);
		CHILD_CHECK(rc == RSP_EIO, "%s: later flush %s", what,
		    rsp_strerror(rc));
		rc = rsp_finish(res);
		CHILD_CHECK(rc == RSP_EIO, "%s: rsp_finish %s", what,
		    rsp_strerror(rc));
	}

	/* SIGPIPE is neither left blocked nor pending */
	sigset_t mask, pend;
	sigprocmask(SIG_SETMASK, NULL, &mask);
	CHILD_CHECK(!sigismember(&mask, SIGPIPE), "%s: SIGPIPE left blocked",
	    what);
	sigpending(&pend);
	CHILD_CHECK(!sigismember(&pend, SIGPIPE), "%s: SIGPIPE left pending",
	    what);
	struct sigaction sa;
	sigaction(SIGPIPE, NULL, &sa);
	CHILD_CHECK(sa.sa_handler == (ignore ? SIG_IGN : SIG_DFL),
	    "%s: SIGPIPE disposition changed", what);
	rsp_response_free(res);
	close(out);
	free(text);
}

START_TEST(test_closed_pipe)
{
	run_in_child(epipe_scenario, _i);
}
END_TEST

/* ---- a failing caller sink: sticky RSP_EIO, the sink is not called again */

START_TEST(test_sticky_eio)
{
	struct csink c = { .fail_from = 1 };
	rsp_response *res = rsp_response_new(NULL, csink(&c));
	ck_assert_ptr_nonnull(res);
	rsp_writer *w = res->writer;
	char *big = malloc(BIG);
	memset(big, 'b', BIG);
	ck_rc(rsp_writer_write_content(w, big, BIG), RSP_EIO);
	int calls = c.writes;
	ck_assert_int_ge(calls, 1);
	ck_rc(rsp_writer_write_content(w, "x", 1), RSP_EIO);
	ck_rc(rsp_writer_write_raw(w, "x", 1), RSP_EIO);
	ck_rc(rsp_writer_write(w, "x", 1), RSP_EIO);
	ck_rc(rsp_writer_write_raw(w, big, BIG), RSP_EIO);
	ck_rc(rsp_writer_flush(w), RSP_EIO);
	ck_rc(rsp_finish(res), RSP_EIO);
	ck_assert_msg(c.writes == calls,
	    "sink written %d more times after "
	    "it failed",
	    c.writes - calls);
	free(big);
	rsp_response_free(res);
	free(c.got.data);
}
END_TEST

/* ---- a file that shrinks while it is streamed ----------------------------- */

static void shrink_case(off_t to, size_t body_expected)
{
	char *path;
	int fd = tu_temp_file(BIG, &path);
	unsigned char *data = tu_pattern_bytes(BIG);
	const char *head = "Status: 200 OK\r\nContent-Length: 200000\r\n\r\n";
	size_t hl = strlen(head);
	struct csink c = {
		.truncate_path = path, .truncate_to = to, .trigger_after = hl
	};
	rsp_response *res = rsp_response_new(NULL, csink(&c));
	ck_ok(rsp_set_content_file(res, fd));
	struct tu_stderr cap;
	tu_stderr_begin(&cap);
	int rc = rsp_finish(res);
	free(tu_stderr_end(&cap));
	ck_assert_msg(c.truncated, "the sink never saw body bytes");
	ck_rc(rc, RSP_EIO);
	char *exp = malloc(hl + body_expected);
	memcpy(exp, head, hl);
	memcpy(exp + hl, data, body_expected);
	ck_bytes(c.got.data, c.got.len, exp, hl + body_expected);
	free(exp);
	rsp_response_free(res);
	ck_assert_msg(tu_fd_is_closed(fd), "descriptor left open");
	unlink(path);
	free(path);
	free(data);
	free(c.got.data);
}

START_TEST(test_shrinking_file)
{
	/* read in 64 KiB chunks: the first chunk was read before the cut */
	shrink_case(0, 65536);
	shrink_case(100000, 100000);
}
END_TEST

struct shrink_iter {
	const char *path;
	size_t n, total;
};

static int shrink_each(void *arg, const void *data, size_t len)
{
	struct shrink_iter *s = arg;
	(void)data;
	if (s->n++ == 0 && truncate(s->path, 0) != 0)
		abort();
	s->total += len;
	return 0;
}

START_TEST(test_shrinking_file_iter)
{
	char *path;
	int fd = tu_temp_file(BIG, &path);
	struct rsp_buffer buf = { 0 };
	rsp_response *res = rsp_response_new(NULL, rsp_sink_buffer(&buf));
	ck_ok(rsp_set_content_file(res, fd));
	struct shrink_iter s = { .path = path };
	ck_rc(rsp_iter_content(res, false, shrink_each, &s), RSP_EIO);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(s.total, 65536);
	rsp_response_free(res);
	rsp_buffer_free(&buf);
	unlink(path);
	free(path);
}
END_TEST

/* ---- a caller sink: one write for a small response ---------------------- */

START_TEST(test_one_sink_write)
{
	struct csink c = { 0 };
	rsp_response *res = rsp_response_new(NULL, csink(&c));
	ck_ok(rsp_headers_set(res->headers, "Content-Type", "text/plain"));
	ck_ok(rsp_set_content(res, "hello", -1));
	/* rsp_write does not flush (DESIGN.md 8) */
	ck_ok(rsp_write(res));
	ck_assert_int_eq(c.writes, 0);
	ck_ok(rsp_finish(res));
	ck_assert_int_eq(c.writes, 1);
	ck_assert_int_ge(c.flushes, 1);
	const char *exp = "Status: 200 OK\r\nContent-Type: text/plain\r\n"
	                  "Content-Length: 5\r\n\r\nhello";
	ck_bytes(c.got.data, c.got.len, exp, strlen(exp));
	rsp_response_free(res);
	free(c.got.data);

	/* through the writer, and with a 4000-byte body */
	memset(&c, 0, sizeof c);
	res = rsp_response_new(NULL, csink(&c));
	ck_ok(rsp_writer_write_header(res->writer, "X-A", "1"));
	char body[4000];
	memset(body, 'q', sizeof body);
	ck_ok(rsp_writer_write_content(res->writer, body, sizeof body));
	ck_ok(rsp_finish(res));
	ck_assert_int_eq(c.writes, 1);
	const char *head =
	    "Status: 200 OK\r\nX-A: 1\r\nContent-Length: 4000\r\n\r\n";
	ck_assert_uint_eq(c.got.len, strlen(head) + sizeof body);
	ck_assert(memcmp(c.got.data, head, strlen(head)) == 0);
	rsp_response_free(res);
	free(c.got.data);

	/* a header block bigger than any write buffer still goes out whole,
	 * with the body, in one write */
	memset(&c, 0, sizeof c);
	res = rsp_response_new(NULL, csink(&c));
	char *value = malloc(40001);
	memset(value, 'h', 40000);
	value[40000] = 0;
	ck_ok(rsp_headers_set(res->headers, "X-Big", value));
	ck_ok(rsp_set_content(res, "body", -1));
	ck_ok(rsp_finish(res));
	ck_assert_int_eq(c.writes, 1);
	char *exp2 = tu_strdupf("Status: 200 OK\r\nX-Big: %s\r\n"
	                        "Content-Length: 4\r\n\r\nbody",
	    value);
	ck_bytes(c.got.data, c.got.len, exp2, strlen(exp2));
	free(exp2);
	free(value);
	rsp_response_free(res);
	free(c.got.data);

	/* a sink without flush */
	memset(&c, 0, sizeof c);
	rsp_sink s = { csink_write, NULL, &c };
	res = rsp_response_new(NULL, s);
	ck_ok(rsp_set_content(res, "x", 1));
	ck_ok(rsp_writer_flush(res->writer));
	ck_ok(rsp_finish(res));
	ck_assert_int_eq(c.writes, 1);
	ck_bytes(c.got.data, c.got.len,
	    "Status: 200 OK\r\nContent-Length: 1\r\n\r\nx", 38);
	rsp_response_free(res);
	free(c.got.data);
}
END_TEST

/* ---- rsp_sink_buffer appends ------------------------------------------- */

START_TEST(test_buffer_appends)
{
	struct rsp_buffer buf = { 0 };
	buf.data = malloc(16);
	memcpy(buf.data, "PRE:", 4);
	buf.len = 4;
	buf.cap = 16;
	rsp_response *res = rsp_response_new(NULL, rsp_sink_buffer(&buf));
	ck_ok(rsp_set_content(res, "one", -1));
	ck_ok(rsp_finish(res));
	rsp_response_free(res);
	res = rsp_response_new(NULL, rsp_sink_buffer(&buf));
	ck_ok(rsp_writer_write_raw(res->writer, "|two", -1));
	ck_ok(rsp_finish(res));
	rsp_response_free(res);
	const char *exp =
	    "PRE:Status: 200 OK\r\nContent-Length: 3\r\n\r\none|two";
	ck_bytes(buf.data, buf.len, exp, strlen(exp));
	rsp_buffer_free(&buf);
	ck_assert_ptr_null(buf.data);
	ck_assert_uint_eq(buf.len, 0);
	ck_assert_uint_eq(buf.cap, 0);
	rsp_buffer_free(&buf);
}
END_TEST

/* ---- rsp_sink_fd to a file and to a pipe --------------------------------- */

struct reader {
	int fd;
	struct rsp_buffer got;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	char chunk[8192];
	ssize_t n;
	while ((n = read(r->fd, chunk, sizeof chunk)) > 0) {
		if (r->got.len + (size_t)n > r->got.cap) {
			r->got.cap = (r->got.len + (size_t)n) * 2;
			r->got.data = realloc(r->got.data, r->got.cap);
			if (!r->got.data)
				abort();
		}
		memcpy(r->got.data + r->got.len, chunk, (size_t)n);
		r->got.len += (size_t)n;
	}
	return NULL;
}

enum { V_CONTENT_FILE, V_WRITER_FILE, V_WRITE_CONTENT, V_COUNT };

/* Runs variant v into fd; returns the expected bytes. */
static char *fd_variant(int v, int out, size_t *elen)
{
	unsigned char *data = tu_pattern_bytes(BIG);
	rsp_response *res = rsp_response_new(NULL, rsp_sink_fd(out));
	ck_assert_ptr_nonnull(res);
	const char *head;
	if (v == V_CONTENT_FILE) {
		ck_ok(rsp_set_content_file(res, tu_temp_file(BIG, NULL)));
		head = "Status: 200 OK\r\nContent-Length: 200000\r\n\r\n";
	} else if (v == V_WRITER_FILE) {
		ck_ok(rsp_writer_write_header(res->writer, "Content-Length",
		    "200000"));
		ck_ok(rsp_writer_write_content_file(res->writer,
		    tu_temp_file(BIG, NULL)));
		head = "Status: 200 OK\r\nContent-Length: 200000\r\n\r\n";
	} else {
		ck_ok(rsp_writer_write_content(res->writer, data, BIG));
		head = "Status: 200 OK\r\nContent-Length: 200000\r\n\r\n";
	}
	ck_ok(rsp_finish(res));
	rsp_response_free(res);
	size_t hl = strlen(head);
	char *exp = malloc(hl + BIG);
	memcpy(exp, head, hl);
	memcpy(exp + hl, data, BIG);
	free(data);
	*elen = hl + BIG;
	return exp;
}

START_TEST(test_fd_to_file)
{
	char tmpl[] = "/tmp/rsp-out-XXXXXX";
	int out = mkstemp(tmpl);
	ck_assert_int_ge(out, 0);
	unlink(tmpl);
	size_t elen;
	char *exp = fd_variant(_i, out, &elen);
	off_t size = lseek(out, 0, SEEK_END);
	char *got = malloc((size_t)size + 1);
	ck_assert_int_eq(pread(out, got, (size_t)size, 0), size);
	ck_bytes(got, (size_t)size, exp, elen);
	free(got);
	free(exp);
	close(out);
}
END_TEST

START_TEST(test_fd_to_pipe)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	struct reader r = { .fd = p[0] };
	pthread_t th;
	ck_assert_int_eq(pthread_create(&th, NULL, reader_main, &r), 0);
	size_t elen;
	char *exp = fd_variant(_i, p[1], &elen);
	close(p[1]);
	pthread_join(th, NULL);
	close(p[0]);
	ck_bytes(r.got.data, r.got.len, exp, elen);
	free(r.got.data);
	free(exp);
}
END_TEST

int main(void)
{
	signal(SIGPIPE, SIG_DFL);
	Suite *s = suite_create("sinks");
	TCase *tc = tcase_create("faults");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_closed_pipe, 0, 2 * K_COUNT * T_COUNT);
	tcase_add_test(tc, test_sticky_eio);
	tcase_add_test(tc, test_shrinking_file);
	tcase_add_test(tc, test_shrinking_file_iter);
	suite_add_tcase(s, tc);

	tc = tcase_create("sinks");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_one_sink_write);
	tcase_add_test(tc, test_buffer_appends);
	tcase_add_loop_test(tc, test_fd_to_file, 0, V_COUNT);
	tcase_add_loop_test(tc, test_fd_to_pipe, 0, V_COUNT);
	suite_add_tcase(s, tc);

	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
