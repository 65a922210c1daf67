/* check_response.c - the response: the seed example, the reference's byte
 * transcripts in CGI/NPH/H2, content kinds, rsp_iter_content, HEAD, 204/304,
 * rsp_finish, file offload (rsp_offload_file). */
#include "testutil.h"

/* Expected output for each flavour. */
struct by_flavour {
	const char *cgi, *nph, *h2;
};

static void ck_flavour_out(struct tu *t, enum rsp_flavour f,
    const struct by_flavour *e)
{
	const char *exp = f == RSP_CGI ? e->cgi : f == RSP_NPH ? e->nph : e->h2;
	char *m = tu_out_diff(t, exp, strlen(exp));
	ck_assert_msg(m == NULL, "%s: %s", tu_flavour_name(f), m ? m : "");
}

/* ---- part callbacks ----------------------------------------------------- */

static int part_c(void *arg, const void **data, size_t *len)
{
	(void)arg;
	*data = "c";
	*len = 1;
	return 0;
}

static int part_empty(void *arg, const void **data, size_t *len)
{
	(void)arg;
	*data = NULL;
	*len = 0;
	return 0;
}

static int part_fail(void *arg, const void **data, size_t *len)
{
	(void)data;
	(void)len;
	return arg ? *(int *)arg : 1;
}

static int part_counted(void *arg, const void **data, size_t *len)
{
	int *calls = arg;
	(*calls)++;
	*data = "n";
	*len = 1;
	return 0;
}

/* Collects rsp_iter_content's chunks. */
struct chunks {
	size_t n;
	size_t sizes[64];
	struct rsp_buffer all;
	int stop_at; /* return `stop_rc` on this chunk (1-based), 0: never */
	int stop_rc;
};

static int collect(void *arg, const void *data, size_t len)
{
	struct chunks *c = arg;
	if (c->n < 64)
		c->sizes[c->n] = len;
	c->n++;
	size_t need = c->all.len + len + 1;
	if (need > c->all.cap) {
		c->all.cap = need * 2;
		c->all.data = realloc(c->all.data, c->all.cap);
	}
	memcpy(c->all.data + c->all.len, data, len);
	c->all.len += len;
	if (c->stop_at && (int)c->n == c->stop_at)
		return c->stop_rc;
	return 0;
}

/* ---- the seed's first example --------------------------------------- */

START_TEST(test_seed_example)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_headers_set(t->res->headers, "Content-Type", "text/plain"));
	ck_ok(rsp_set_content(t->res, "Some example content", -1));
	ck_ok(rsp_write(t->res));
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 200 OK\r\nContent-Type: text/plain\r\n"
		"Content-Length: 20\r\n\r\nSome example content",
		"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" NPH_REQ
		"Content-Length: 20\r\n\r\nSome example content",
		"Status: 200 OK\r\ncontent-type: text/plain\r\n"
		"content-length: 20\r\n\r\nSome example content",
	};
	ck_flavour_out(t, f, &e);
	ck_assert(!t->res->close_connection);
	tu_free(t);
}
END_TEST

/* ---- wptserve's transcripts, carried to CGI, NPH and H2 ----------------- */

START_TEST(test_transcript_string)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_set_content(t->res, "test data", -1));
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 200 OK\r\nContent-Length: 9\r\n\r\ntest data",
		"HTTP/1.1 200 OK\r\n" NPH_REQ
		"Content-Length: 9\r\n\r\ntest data",
		"Status: 200 OK\r\ncontent-length: 9\r\n\r\ntest data",
	};
	ck_flavour_out(t, f, &e);
	ck_assert(!t->res->close_connection);
	tu_free(t);
}
END_TEST

/* Content-Length 4 with a 9-byte body: the body is refused, finish says short. */
START_TEST(test_transcript_short_length)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	static const struct by_flavour e = {
		"Status: 200 OK\r\nContent-Length: 4\r\n"
		"test-header: test-value\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n"
		"test-header: test-value\r\n" NPH_REQ "\r\n",
		"Status: 200 OK\r\ncontent-length: 4\r\n"
		"test-header: test-value\r\n\r\n",
	};
	for (int via_write = 1; via_write >= 0; via_write--) {
		struct tu_stderr cap;
		tu_stderr_begin(&cap);
		struct tu *t = tu_new(f);
		int rc0 =
		    rsp_headers_set(t->res->headers, "Content-Length", "4");
		int rc1 = rsp_headers_set(t->res->headers, "test-header",
		    "test-value");
		int rc2 = rsp_set_content(t->res, "test data", -1);
		int rcw = via_write ? rsp_write(t->res) : RSP_ESTATE;
		int rcf = rsp_finish(t->res);
		char *log = tu_stderr_end(&cap);
		ck_assert_int_eq(rc0, RSP_OK);
		ck_assert_int_eq(rc1, RSP_OK);
		ck_assert_int_eq(rc2, RSP_OK);
		ck_assert_msg(rcw == RSP_ESTATE, "rsp_write returned %s",
		    rsp_strerror(rcw));
		ck_assert_msg(rcf == RSP_ESTATE, "rsp_finish returned %s",
		    rsp_strerror(rcf));
		ck_assert_msg(log[0] != 0, "short body not logged (%s)",
		    via_write ? "rsp_write, then rsp_finish"
		              : "rsp_finish alone");
		free(log);
		ck_flavour_out(t, f, &e);
		tu_free(t);
	}
}
END_TEST

START_TEST(test_transcript_custom_status)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_set_status(t->res, 202, "Some Status"));
	ck_ok(rsp_headers_set(t->res->headers, "test-header", "test-value"));
	ck_ok(rsp_set_content(t->res, "test data", -1));
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 202 Some Status\r\ntest-header: test-value\r\n"
		"Content-Length: 9\r\n\r\ntest data",
		"HTTP/1.1 202 Some Status\r\ntest-header: test-value\r\n" NPH_REQ
		"Content-Length: 9\r\n\r\ntest data",
		"Status: 202 Some Status\r\ntest-header: test-value\r\n"
		"content-length: 9\r\n\r\ntest data",
	};
	ck_flavour_out(t, f, &e);
	tu_free(t);
}
END_TEST

START_TEST(test_transcript_none)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 200 OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\n" NPH_REQ "Connection: close\r\n\r\n",
		"Status: 200 OK\r\n\r\n",
	};
	ck_flavour_out(t, f, &e);
	ck_assert(t->res->close_connection);
	tu_free(t);
}
END_TEST

START_TEST(test_transcript_reason_none)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_set_status(t->res, 200, "None"));
	ck_ok(rsp_set_content(t->res, "x", -1));
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 200 None\r\nContent-Length: 1\r\n\r\nx",
		"HTTP/1.1 200 None\r\n" NPH_REQ "Content-Length: 1\r\n\r\nx",
		"Status: 200 None\r\ncontent-length: 1\r\n\r\nx",
	};
	ck_flavour_out(t, f, &e);
	tu_free(t);
}
END_TEST

START_TEST(test_transcript_599_empty)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_set_status(t->res, 599, NULL));
	ck_ok(rsp_set_content(t->res, "", 0));
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 599 \r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 599 \r\n" NPH_REQ "Content-Length: 0\r\n\r\n",
		"Status: 599 \r\ncontent-length: 0\r\n\r\n",
	};
	ck_flavour_out(t, f, &e);
	ck_assert(!t->res->close_connection);
	tu_free(t);
}
END_TEST

/* content ["a", "b", fn->"c", "", fn->nothing] */
START_TEST(test_transcript_parts)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_add_content(t->res, "a", -1));
	ck_ok(rsp_add_content(t->res, "b", 1));
	ck_ok(rsp_add_content_fn(t->res, part_c, NULL, NULL));
	ck_ok(rsp_add_content(t->res, "", 0));
	ck_ok(rsp_add_content_fn(t->res, part_empty, NULL, NULL));
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 200 OK\r\n\r\nabc",
		"HTTP/1.1 200 OK\r\n" NPH_REQ "Connection: close\r\n\r\nabc",
		"Status: 200 OK\r\n\r\nabc",
	};
	ck_flavour_out(t, f, &e);
	ck_assert(t->res->close_connection);
	tu_free(t);
}
END_TEST

/* HEAD with headers and content "body\r\n": the GET's headers, no body. */
START_TEST(test_transcript_head)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_method("HEAD", f);
	ck_ok(rsp_headers_set(t->res->headers, "X-Test", "TEST"));
	ck_ok(rsp_set_content(t->res, "body\r\n", -1));
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 200 OK\r\nX-Test: TEST\r\nContent-Length: 6\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX-Test: TEST\r\n" NPH_REQ
		"Content-Length: 6\r\n\r\n",
		"Status: 200 OK\r\nx-test: TEST\r\ncontent-length: 6\r\n\r\n",
	};
	ck_flavour_out(t, f, &e);
	ck_assert(!t->res->close_connection);
	tu_free(t);
}
END_TEST

START_TEST(test_head_send_body)
{
	struct tu *t = tu_method("HEAD", RSP_CGI);
	t->res->send_body_for_head_request = true;
	ck_ok(rsp_headers_set(t->res->headers, "X-Test", "TEST"));
	ck_ok(rsp_set_content(t->res, "body\r\n", -1));
	ck_ok(rsp_write(t->res));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 200 OK\r\nX-Test: TEST\r\nContent-Length: 6\r\n\r\n"
	    "body\r\n");
	tu_free(t);

	/* GET and POST send the body */
	static const char *const methods[] = { "GET", "POST" };
	for (size_t i = 0; i < 2; i++) {
		t = tu_method(methods[i], RSP_CGI);
		ck_ok(rsp_set_content(t->res, "body", -1));
		ck_ok(rsp_finish(t->res));
		ck_out(t, "Status: 200 OK\r\nContent-Length: 4\r\n\r\nbody");
		tu_free(t);
	}
}
END_TEST

/* HEAD with file content: Content-Length from the file, no body. */
START_TEST(test_head_file)
{
	int fd = tu_temp_file(1000, NULL);
	struct tu *t = tu_method("HEAD", RSP_CGI);
	ck_ok(rsp_set_content_file(t->res, fd));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 1000\r\n\r\n");
	tu_free(t);
	ck_assert_msg(tu_fd_is_closed(fd), "descriptor left open");
}
END_TEST

/* ---- 204 / 304 ---------------------------------------------------------- */

START_TEST(test_no_body_statuses)
{
	static const int codes[] = { 204, 304 };
	for (size_t i = 0; i < 2; i++) {
		struct tu *t = tu_new(RSP_CGI);
		ck_ok(rsp_set_status(t->res, codes[i], NULL));
		ck_ok(rsp_headers_set(t->res->headers, "ETag", "\"x\""));
		ck_ok(rsp_set_content(t->res, "not sent", -1));
		ck_ok(rsp_write(t->res));
		ck_ok(rsp_finish(t->res));
		char *exp = tu_strdupf("Status: %d %s\r\nETag: \"x\"\r\n\r\n",
		    codes[i], codes[i] == 204 ? "No Content" : "Not Modified");
		ck_out_s(t, exp);
		free(exp);
		tu_free(t);

		/* parts too */
		t = tu_new(RSP_CGI);
		ck_ok(rsp_set_status(t->res, codes[i], NULL));
		ck_ok(rsp_add_content(t->res, "a", -1));
		ck_ok(rsp_finish(t->res));
		exp = tu_strdupf("Status: %d %s\r\n\r\n", codes[i],
		    codes[i] == 204 ? "No Content" : "Not Modified");
		ck_out_s(t, exp);
		free(exp);
		tu_free(t);
	}
}
END_TEST

/* A declared length with a suppressed body is not "short" (DESIGN.md 7). */
START_TEST(test_suppressed_body_not_short)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_status(t->res, 304, NULL));
	ck_ok(rsp_headers_set(t->res->headers, "Content-Length", "100"));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 304 Not Modified\r\nContent-Length: 100\r\n\r\n");
	tu_free(t);

	t = tu_method("HEAD", RSP_CGI);
	ck_ok(rsp_headers_set(t->res->headers, "Content-Length", "100"));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 100\r\n\r\n");
	tu_free(t);

	t = tu_method("HEAD", RSP_NPH);
	ck_ok(rsp_set_content(t->res, "12345", -1));
	ck_ok(rsp_write(t->res));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "HTTP/1.1 200 OK\r\n" NPH_REQ "Content-Length: 5\r\n\r\n");
	tu_free(t);
}
END_TEST

/* ---- content kinds ---------------------------------------------------- */

START_TEST(test_content_replace_and_append)
{
	/* a string content becomes the first part: length unknown */
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_content(t->res, "a", -1));
	ck_ok(rsp_add_content(t->res, "b", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\n\r\nab");
	ck_assert(t->res->close_connection);
	tu_free(t);

	/* set_content replaces parts */
	t = tu_new(RSP_CGI);
	ck_ok(rsp_add_content(t->res, "a", -1));
	ck_ok(rsp_add_content_fn(t->res, part_c, NULL, NULL));
	ck_ok(rsp_set_content(t->res, "xyz", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 3\r\n\r\nxyz");
	tu_free(t);

	/* set_content replaces set_content; bytes with NUL, encoding ignored */
	t = tu_new(RSP_CGI);
	ck_ok(rsp_set_encoding(t->res, "ISO-8859-1"));
	ck_ok(rsp_set_content(t->res, "first", -1));
	ck_ok(rsp_set_content(t->res, "\xc3\xa9\0z", 4));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 4\r\n\r\n\xc3\xa9\0z");
	tu_free(t);

	/* set_content_file replaces, set_content replaces a file */
	int fd = tu_temp_file(5, NULL);
	t = tu_new(RSP_CGI);
	ck_ok(rsp_set_content(t->res, "zzz", -1));
	ck_ok(rsp_set_content_file(t->res, fd));
	ck_ok(rsp_finish(t->res));
	char exp[64];
	size_t hl =
	    (size_t)sprintf(exp, "Status: 200 OK\r\nContent-Length: 5\r\n\r\n");
	unsigned char *d = tu_pattern_bytes(5);
	memcpy(exp + hl, d, 5);
	free(d);
	ck_out_n(t, exp, hl + 5);
	tu_free(t);

	fd = tu_temp_file(5, NULL);
	t = tu_new(RSP_CGI);
	ck_ok(rsp_set_content_file(t->res, fd));
	ck_ok(rsp_set_content(t->res, "s", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 1\r\n\r\ns");
	tu_free(t);
	ck_assert_msg(tu_fd_is_closed(fd), "replaced descriptor left open");
}
END_TEST

/* Content is copied: the caller may reuse its buffers at once. */
START_TEST(test_content_copied)
{
	struct tu *t = tu_new(RSP_CGI);
	char buf[8];
	strcpy(buf, "one");
	ck_ok(rsp_set_content(t->res, buf, -1));
	strcpy(buf, "XXX");
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 3\r\n\r\none");
	tu_free(t);

	t = tu_new(RSP_CGI);
	strcpy(buf, "two");
	ck_ok(rsp_add_content(t->res, buf, -1));
	strcpy(buf, "YYY");
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\n\r\ntwo");
	tu_free(t);
}
END_TEST

/* Part callbacks run when the content is written, in order. */
START_TEST(test_part_fn_called_when_written)
{
	int calls = 0;
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_add_content_fn(t->res, part_counted, &calls, NULL));
	ck_ok(rsp_add_content(t->res, "-", -1));
	ck_ok(rsp_add_content_fn(t->res, part_counted, &calls, NULL));
	ck_assert_int_eq(calls, 0);
	ck_ok(rsp_finish(t->res));
	ck_assert_int_eq(calls, 2);
	ck_out(t, "Status: 200 OK\r\n\r\nn-n");
	tu_free(t);
}
END_TEST

START_TEST(test_part_fn_failure)
{
	/* non-zero that is not an rsp_err becomes RSP_ECALLBACK */
	int one = 1, big = 42, nomem = RSP_ENOMEM, eio = RSP_EIO;
	static const struct {
		int idx;
		int expect;
	} cases[] = {
		{ 0, RSP_ECALLBACK },
		{ 1, RSP_ECALLBACK },
		{ 2, RSP_ENOMEM },
		{ 3, RSP_EIO },
	};
	int *args[] = { &one, &big, &nomem, &eio };
	for (size_t i = 0; i < 4; i++) {
		/* through rsp_iter_content */
		struct tu *t = tu_new(RSP_CGI);
		ck_ok(rsp_add_content(t->res, "a", -1));
		ck_ok(rsp_add_content_fn(t->res, part_fail, args[cases[i].idx],
		    NULL));
		ck_ok(rsp_add_content(t->res, "z", -1));
		struct chunks c = { 0 };
		ck_rc(rsp_iter_content(t->res, false, collect, &c),
		    cases[i].expect);
		ck_assert_uint_eq(c.n, 1);
		ck_bytes(c.all.data, c.all.len, "a", 1);
		free(c.all.data);
		tu_free(t);

		/* through rsp_write */
		t = tu_new(RSP_CGI);
		ck_ok(rsp_add_content(t->res, "a", -1));
		ck_ok(rsp_add_content_fn(t->res, part_fail, args[cases[i].idx],
		    NULL));
		ck_ok(rsp_add_content(t->res, "z", -1));
		ck_rc(rsp_write(t->res), cases[i].expect);
		ck_ok(rsp_writer_flush(t->res->writer));
		ck_out(t, "Status: 200 OK\r\n\r\na");
		tu_free(t);
	}
}
END_TEST

/* ---- rsp_iter_content ------------------------------------------------- */

START_TEST(test_iter_kinds)
{
	struct tu *t = tu_new(RSP_CGI);
	struct chunks c = { 0 };
	ck_ok(rsp_iter_content(t->res, false, collect, &c));
	ck_assert_uint_eq(c.n, 0);
	ck_ok(rsp_set_content(t->res, "test data", -1));
	ck_ok(rsp_iter_content(t->res, false, collect, &c));
	ck_assert_uint_eq(c.n, 1);
	ck_bytes(c.all.data, c.all.len, "test data", 9);
	free(c.all.data);
	tu_free(t);

	t = tu_new(RSP_CGI);
	memset(&c, 0, sizeof c);
	ck_ok(rsp_add_content(t->res, "a", -1));
	ck_ok(rsp_add_content(t->res, "b", -1));
	ck_ok(rsp_add_content_fn(t->res, part_c, NULL, NULL));
	ck_ok(rsp_add_content(t->res, "", -1));
	ck_ok(rsp_add_content_fn(t->res, part_empty, NULL, NULL));
	ck_ok(rsp_iter_content(t->res, true, collect, &c));
	ck_assert_uint_eq(c.n, 3);
	ck_bytes(c.all.data, c.all.len, "abc", 3);
	free(c.all.data);
	/* iterating writes nothing */
	ck_ok(rsp_writer_flush(t->res->writer));
	ck_assert_uint_eq(t->buf.len, 0);
	tu_free(t);
}
END_TEST

/* A non-zero return of `each` stops and is returned as is. */
START_TEST(test_iter_each_stops)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_add_content(t->res, "a", -1));
	ck_ok(rsp_add_content(t->res, "b", -1));
	ck_ok(rsp_add_content(t->res, "c", -1));
	struct chunks c = { .stop_at = 2, .stop_rc = 7 };
	ck_rc(rsp_iter_content(t->res, false, collect, &c), 7);
	ck_assert_uint_eq(c.n, 2);
	free(c.all.data);
	struct chunks d = { .stop_at = 1, .stop_rc = -1234 };
	ck_rc(rsp_iter_content(t->res, false, collect, &d), -1234);
	ck_assert_uint_eq(d.n, 1);
	free(d.all.data);
	tu_free(t);
}
END_TEST

START_TEST(test_iter_file)
{
	size_t n = 200000;
	unsigned char *data = tu_pattern_bytes(n);
	for (int read_file = 0; read_file < 2; read_file++) {
		int fd = tu_temp_file(n, NULL);
		struct tu *t = tu_new(RSP_CGI);
		ck_ok(rsp_set_content_file(t->res, fd));
		struct chunks c = { 0 };
		ck_ok(rsp_iter_content(t->res, read_file, collect, &c));
		if (read_file) {
			ck_assert_uint_eq(c.n, 1);
			ck_assert_uint_eq(c.sizes[0], n);
		} else {
			ck_assert_uint_eq(c.n, 4);
			ck_assert_uint_eq(c.sizes[0], 65536);
			ck_assert_uint_eq(c.sizes[1], 65536);
			ck_assert_uint_eq(c.sizes[2], 65536);
			ck_assert_uint_eq(c.sizes[3], 3392);
		}
		ck_assert_msg(c.all.len == n &&
		        memcmp(c.all.data, data, n) == 0,
		    "file bytes differ");
		/* the file content is still all there for rsp_write */
		ck_assert_msg(!tu_fd_is_closed(fd),
		    "descriptor closed by iteration");
		ck_ok(rsp_finish(t->res));
		char *head =
		    tu_strdupf("Status: 200 OK\r\nContent-Length: %zu\r\n\r\n",
		        n);
		size_t hl = strlen(head);
		ck_assert_uint_eq(t->buf.len, hl + n);
		ck_bytes(t->buf.data, hl, head, hl);
		ck_assert_msg(memcmp(t->buf.data + hl, data, n) == 0,
		    "body differs");
		free(head);
		free(c.all.data);
		tu_free(t);
		ck_assert_msg(tu_fd_is_closed(fd), "descriptor left open");
	}
	free(data);
}
END_TEST

/* ---- file content ----------------------------------------------------- */

START_TEST(test_content_file_regular)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	size_t n = 200000;
	unsigned char *data = tu_pattern_bytes(n);
	int fd = tu_temp_file(n, NULL);
	struct tu *t = tu_new(f);
	ck_ok(rsp_set_content_file(t->res, fd));
	ck_ok(rsp_finish(t->res));
	const char *head = f == RSP_CGI
	    ? "Status: 200 OK\r\nContent-Length: 200000\r\n\r\n"
	    : f == RSP_NPH ? "HTTP/1.1 200 OK\r\n" NPH_REQ
	                     "Content-Length: 200000\r\n\r\n"
	                   : "Status: 200 OK\r\ncontent-length: 200000\r\n\r\n";
	size_t hl = strlen(head);
	char *exp = malloc(hl + n);
	memcpy(exp, head, hl);
	memcpy(exp + hl, data, n);
	ck_out_n(t, exp, hl + n);
	ck_assert(!t->res->close_connection);
	ck_assert_msg(tu_fd_is_closed(fd), "descriptor left open");
	free(exp);
	free(data);
	tu_free(t);
}
END_TEST

/* A regular file's size counts from the current offset. */
START_TEST(test_content_file_offset)
{
	size_t n = 1000;
	unsigned char *data = tu_pattern_bytes(n);
	int fd = tu_temp_file(n, NULL);
	ck_assert_int_eq(lseek(fd, 100, SEEK_SET), 100);
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_content_file(t->res, fd));
	ck_ok(rsp_finish(t->res));
	const char *head = "Status: 200 OK\r\nContent-Length: 900\r\n\r\n";
	size_t hl = strlen(head);
	char *exp = malloc(hl + n);
	memcpy(exp, head, hl);
	memcpy(exp + hl, data + 100, 900);
	ck_out_n(t, exp, hl + 900);
	free(exp);
	free(data);
	tu_free(t);
}
END_TEST

/* A pipe has no size: no Content-Length, the connection closes. */
START_TEST(test_content_file_pipe)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	const char *msg = "piped content\n";
	ck_assert_int_eq(write(p[1], msg, strlen(msg)), (ssize_t)strlen(msg));
	close(p[1]);
	struct tu *t = tu_new(f);
	ck_ok(rsp_set_content_file(t->res, p[0]));
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 200 OK\r\n\r\npiped content\n",
		"HTTP/1.1 200 OK\r\n" NPH_REQ "Connection: close\r\n\r\n"
		"piped content\n",
		"Status: 200 OK\r\n\r\npiped content\n",
	};
	ck_flavour_out(t, f, &e);
	ck_assert(t->res->close_connection);
	ck_assert_msg(tu_fd_is_closed(p[0]), "descriptor left open");
	tu_free(t);
}
END_TEST

/* ---- write_status_headers / write_content / rsp_finish ---------------- */

START_TEST(test_write_in_steps)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_headers_set(t->res->headers, "X-A", "1"));
	ck_ok(rsp_set_content(t->res, "body", -1));
	ck_ok(rsp_write_status_headers(t->res));
	ck_ok(rsp_writer_flush(t->res->writer));
	ck_out(t, "Status: 200 OK\r\nX-A: 1\r\nContent-Length: 4\r\n\r\n");
	ck_ok(rsp_write_content(t->res));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nX-A: 1\r\nContent-Length: 4\r\n\r\nbody");
	tu_free(t);

	/* rsp_write then rsp_finish: nothing twice */
	t = tu_new(RSP_CGI);
	ck_ok(rsp_set_content(t->res, "body", -1));
	ck_ok(rsp_write(t->res));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 4\r\n\r\nbody");
	tu_free(t);
}
END_TEST

/* What rsp_finish adds depends on what went through the writer. */
START_TEST(test_finish_completes)
{
	/* only raw bytes: nothing added */
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_headers_set(t->res->headers, "X-Ignored", "1"));
	ck_ok(rsp_set_content(t->res, "ignored", -1));
	ck_ok(rsp_writer_write_raw(t->res->writer, "Status: 200 OK\r\n\r\nraw",
	    -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\n\r\nraw");
	tu_free(t);

	/* status and a header only: the block is ended */
	t = tu_new(RSP_CGI);
	ck_ok(rsp_headers_set(t->res->headers, "X-Ignored", "1"));
	ck_ok(rsp_writer_write_status(t->res->writer, 201, NULL));
	ck_ok(rsp_writer_write_header(t->res->writer, "X-A", "1"));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 201 Created\r\nX-A: 1\r\n\r\n");
	ck_assert(t->res->close_connection);
	tu_free(t);

	/* same in NPH: the required headers come at the end of the block */
	t = tu_new(RSP_NPH);
	ck_ok(rsp_writer_write_status(t->res->writer, 201, NULL));
	ck_ok(rsp_writer_write_header(t->res->writer, "X-A", "1"));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "HTTP/1.1 201 Created\r\nX-A: 1\r\n" NPH_REQ
	    "Connection: close\r\n\r\n");
	tu_free(t);

	/* status and headers of the response only: nothing more */
	t = tu_new(RSP_CGI);
	ck_ok(rsp_headers_set(t->res->headers, "X-A", "1"));
	ck_ok(rsp_write_status_headers(t->res));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nX-A: 1\r\n\r\n");
	tu_free(t);
}
END_TEST

/* The handler's own Content-Length is not repeated. */
START_TEST(test_user_content_length)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_headers_set(t->res->headers, "content-length", "4"));
	ck_ok(rsp_set_content(t->res, "test", -1));
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 200 OK\r\ncontent-length: 4\r\n\r\ntest",
		"HTTP/1.1 200 OK\r\ncontent-length: 4\r\n" NPH_REQ "\r\ntest",
		"Status: 200 OK\r\ncontent-length: 4\r\n\r\ntest",
	};
	ck_flavour_out(t, f, &e);
	ck_assert(!t->res->close_connection);
	tu_free(t);

	/* with parts the declared length still counts, and closes nothing */
	t = tu_new(f);
	ck_ok(rsp_headers_set(t->res->headers, "Content-Length", "2"));
	ck_ok(rsp_add_content(t->res, "a", -1));
	ck_ok(rsp_add_content_fn(t->res, part_c, NULL, NULL));
	ck_ok(rsp_finish(t->res));
	ck_assert(!t->res->close_connection);
	tu_free(t);
}
END_TEST

/* A pipe read whole with read_file. */
START_TEST(test_iter_pipe)
{
	for (int read_file = 0; read_file < 2; read_file++) {
		int p[2];
		ck_assert_int_eq(pipe(p), 0);
		unsigned char *data = tu_pattern_bytes(3000);
		ck_assert_int_eq(write(p[1], data, 1000), 1000);
		ck_assert_int_eq(write(p[1], data + 1000, 2000), 2000);
		close(p[1]);
		struct tu *t = tu_new(RSP_CGI);
		ck_ok(rsp_set_content_file(t->res, p[0]));
		struct chunks c = { 0 };
		ck_ok(rsp_iter_content(t->res, read_file, collect, &c));
		if (read_file)
			ck_assert_uint_eq(c.n, 1);
		ck_bytes(c.all.data, c.all.len, data, 3000);
		ck_assert_msg(tu_fd_is_closed(p[0]), "descriptor left open");
		free(c.all.data);
		free(data);
		tu_free(t);
	}
}
END_TEST

/* Misuse (NULL pointers, bad descriptors) is refused, never a crash. */
START_TEST(test_null_arguments)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_response *res = t->res;
	rsp_headers *h = res->headers;
	rsp_writer *w = res->writer;
	ck_ok(rsp_headers_set(h, "X-A", "1"));
	ck_ok(rsp_set_content(res, "kept", -1));
	ck_refused(t, rsp_headers_set(h, NULL, "v"), RSP_EINVAL);
	ck_refused(t, rsp_headers_set(h, "X-A", NULL), RSP_EINVAL);
	ck_refused(t, rsp_headers_append(h, NULL, "v"), RSP_EINVAL);
	ck_refused(t, rsp_headers_append(h, "X-A", NULL), RSP_EINVAL);
	ck_refused(t, rsp_headers_setf(h, NULL, "%d", 1), RSP_EINVAL);
	ck_refused(t, rsp_headers_appendf(h, NULL, "%d", 1), RSP_EINVAL);
	ck_refused(t, rsp_writer_write_header(w, NULL, "v"), RSP_EINVAL);
	ck_refused(t, rsp_writer_write_header(w, "X-A", NULL), RSP_EINVAL);
	ck_refused(t, rsp_writer_write_content(w, NULL, 5), RSP_EINVAL);
	ck_refused(t, rsp_writer_write_content(w, NULL, -1), RSP_EINVAL);
	ck_refused(t, rsp_writer_write(w, NULL, -1), RSP_EINVAL);
	ck_refused(t, rsp_writer_write_raw(w, NULL, -1), RSP_EINVAL);
	ck_refused(t, rsp_writer_write_content_file(w, -1), RSP_EINVAL);
	ck_refused(t, rsp_set_content(res, NULL, 5), RSP_EINVAL);
	ck_refused(t, rsp_set_content(res, NULL, -1), RSP_EINVAL);
	ck_refused(t, rsp_add_content(res, NULL, -1), RSP_EINVAL);
	ck_refused(t, rsp_add_content_fn(res, NULL, NULL, NULL), RSP_EINVAL);
	ck_refused(t, rsp_set_content_file(res, -1), RSP_EINVAL);
	ck_refused(t, rsp_set_cookie(res, NULL, "v", NULL), RSP_EINVAL);
	ck_refused(t, rsp_unset_cookie(res, NULL), RSP_EINVAL);
	ck_refused(t, rsp_delete_cookie(res, NULL, NULL, NULL), RSP_EINVAL);
	ck_refused(t, rsp_iter_content(res, false, NULL, NULL), RSP_EINVAL);
	ck_refused(t, rsp_set_flavour(res, (enum rsp_flavour)7), RSP_EINVAL);
	ck_refused(t, rsp_writer_encode(w, "x", -1, NULL), RSP_EINVAL);
	{
		struct tu_snap s0, s1;
		tu_snap_take(t, &s0);
		int rc = rsp_set_encoding(res, NULL);
		tu_snap_take(t, &s1);
		ck_assert_msg(rc == RSP_EINVAL || rc == RSP_ECHARSET,
		    "rsp_set_encoding(NULL) returned %d", rc);
		char *d = tu_snap_diff(&s0, &s1);
		ck_assert_msg(d == NULL, "%s", d ? d : "");
		tu_snap_free(&s0);
		tu_snap_free(&s1);
		tu_count_refused();
	}
	ck_assert_ptr_null(rsp_headers_get(h, NULL));
	ck_assert(!rsp_headers_contains(h, NULL));
	ck_assert_uint_eq(rsp_headers_get_all(h, NULL, NULL, 0), 0);
	/* NULL objects */
	ck_assert_int_eq(rsp_finish(NULL), RSP_EINVAL);
	ck_assert_int_eq(rsp_write(NULL), RSP_EINVAL);
	ck_assert_int_eq(rsp_write_status_headers(NULL), RSP_EINVAL);
	ck_assert_int_eq(rsp_write_content(NULL), RSP_EINVAL);
	ck_assert_int_eq(rsp_set_status(NULL, 200, NULL), RSP_EINVAL);
	ck_assert_int_eq(rsp_set_error(NULL, 404, "x"), RSP_EINVAL);
	ck_assert_int_eq(rsp_set_flavour(NULL, RSP_NPH), RSP_EINVAL);
	ck_assert_int_eq(rsp_headers_set(NULL, "a", "b"), RSP_EINVAL);
	ck_assert_int_eq(rsp_writer_write_raw(NULL, "x", 1), RSP_EINVAL);
	ck_assert_int_eq(rsp_writer_flush(NULL), RSP_EINVAL);
	ck_assert_int_eq(rsp_writer_write_status(NULL, 200, NULL), RSP_EINVAL);
	ck_assert_int_eq(rsp_json_string(NULL, "x", 1), RSP_EINVAL);
	ck_assert_uint_eq(rsp_headers_count(NULL), 0);
	ck_assert_ptr_null(rsp_headers_get(NULL, "a"));
	rsp_response_free(NULL);
	rsp_buffer_free(NULL);
	/* the response is still whole */
	ck_ok(rsp_finish(res));
	ck_out(t, "Status: 200 OK\r\nX-A: 1\r\nContent-Length: 4\r\n\r\nkept");
	tu_free(t);
}
END_TEST

/* ---- flavour from the request (DESIGN.md 17) --------------------------- */

START_TEST(test_flavour_from_request)
{
	static const struct {
		const char *a, *b;
		enum rsp_flavour f;
	} cases[] = {
		{ "SCRIPT_NAME=/cgi-bin/nph-test", "SERVER_PROTOCOL=HTTP/1.1",
		    RSP_NPH },
		{ "SCRIPT_NAME=/nph-dir/test", "SERVER_PROTOCOL=HTTP/1.1",
		    RSP_CGI },
		{ "SCRIPT_NAME=/cgi-bin/test", "SERVER_PROTOCOL=HTTP/1.1",
		    RSP_CGI },
		{ "SCRIPT_FILENAME=/srv/cgi/nph-x.cgi",
		    "SERVER_PROTOCOL=HTTP/1.0", RSP_NPH },
		{ "SCRIPT_NAME=/cgi-bin/x", "SERVER_PROTOCOL=HTTP/2.0",
		    RSP_H2 },
		{ "SCRIPT_NAME=/cgi-bin/x", "SERVER_PROTOCOL=HTTP/2", RSP_H2 },
		{ "SCRIPT_NAME=/cgi-bin/x", "SERVER_PROTOCOL=HTTP/3", RSP_H2 },
		{ "SCRIPT_NAME=/cgi-bin/nph-x", "SERVER_PROTOCOL=HTTP/2.0",
		    RSP_H2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *env[] = { (char *)"REQUEST_METHOD=GET",
			(char *)cases[i].a, (char *)cases[i].b, NULL };
		struct tu *t = tu_make(env);
		ck_assert_msg(rsp_flavour(t->res) == cases[i].f,
		    "%s %s: flavour %d, expected %d", cases[i].a, cases[i].b,
		    (int)rsp_flavour(t->res), (int)cases[i].f);
		tu_free(t);
	}
	struct tu *t = tu_make(NULL);
	ck_assert_int_eq(rsp_flavour(t->res), RSP_CGI);
	ck_assert_ptr_null(t->res->request);
	ck_assert(t->res->add_required_headers);
	ck_assert(!t->res->send_body_for_head_request);
	ck_assert(!t->res->close_connection);
	ck_assert_ptr_nonnull(t->res->headers);
	ck_assert_ptr_nonnull(t->res->writer);
	tu_free(t);
}
END_TEST

/* add_required_headers = false through rsp_write. */
START_TEST(test_no_required_headers)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	t->res->add_required_headers = false;
	ck_ok(rsp_set_content(t->res, "abc", -1));
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 200 OK\r\n\r\nabc",
		"HTTP/1.1 200 OK\r\n\r\nabc",
		"Status: 200 OK\r\n\r\nabc",
	};
	ck_flavour_out(t, f, &e);
	ck_assert(t->res->close_connection);
	tu_free(t);
}
END_TEST

/* ---- file offload (rsp_offload_file) ----------------------------------- */

/* A response with a status, headers and content that an offload replaces. */
static struct tu *offload_base(enum rsp_flavour f)
{
	struct tu *t = tu_new(f);
	ck_ok(rsp_set_status(t->res, 404, NULL));
	ck_ok(rsp_headers_set(t->res->headers, "Content-Type",
	    "application/pdf"));
	ck_ok(rsp_headers_set(t->res->headers, "Content-Length", "4"));
	ck_ok(rsp_set_cookie(t->res, "seen", "1", NULL));
	ck_ok(rsp_set_content(t->res, "body", -1));
	return t;
}

/* nginx: X-Accel-Redirect; the status becomes 200; content and
 * Content-Length go; Content-Type and Set-Cookie stay. */
START_TEST(test_offload_nginx)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = offload_base(f);
	ck_ok(rsp_offload_file(t->res, RSP_OFFLOAD_NGINX,
	    "/protected/report.pdf"));
	ck_assert_int_eq(rsp_status(t->res, NULL), 200);
	ck_assert_ptr_null(rsp_headers_get(t->res->headers, "Content-Length"));
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 200 OK\r\nContent-Type: application/pdf\r\n"
		"Set-Cookie: seen=1; Path=/\r\n"
		"X-Accel-Redirect: /protected/report.pdf\r\n\r\n",
		NULL,
		"Status: 200 OK\r\ncontent-type: application/pdf\r\n"
		"set-cookie: seen=1; Path=/\r\n"
		"x-accel-redirect: /protected/report.pdf\r\n\r\n",
	};
	ck_flavour_out(t, f, &e);
	tu_free(t);
}
END_TEST

/* Apache mod_xsendfile: X-Sendfile with an absolute path. */
START_TEST(test_offload_apache)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = offload_base(f);
	ck_ok(rsp_offload_file(t->res, RSP_OFFLOAD_APACHE,
	    "/srv/files/report.pdf"));
	ck_ok(rsp_finish(t->res));
	static const struct by_flavour e = {
		"Status: 200 OK\r\nContent-Type: application/pdf\r\n"
		"Set-Cookie: seen=1; Path=/\r\n"
		"X-Sendfile: /srv/files/report.pdf\r\n\r\n",
		NULL,
		"Status: 200 OK\r\ncontent-type: application/pdf\r\n"
		"set-cookie: seen=1; Path=/\r\n"
		"x-sendfile: /srv/files/report.pdf\r\n\r\n",
	};
	ck_flavour_out(t, f, &e);
	tu_free(t);
}
END_TEST

/* NPH: no server reads the header block, so the offload header would reach
 * the client with no file behind it: refused, in both mechanisms, and a
 * change to NPH after an offload is refused too. */
START_TEST(test_offload_nph)
{
	struct tu *t = offload_base(RSP_NPH);
	ck_refused(t,
	    rsp_offload_file(t->res, RSP_OFFLOAD_NGINX, "/protected/a"),
	    RSP_EINVAL);
	ck_refused(t, rsp_offload_file(t->res, RSP_OFFLOAD_APACHE, "/srv/a"),
	    RSP_EINVAL);
	ck_refused(t, rsp_headers_set(t->res->headers, "X-Sendfile", "/srv/a"),
	    RSP_EINVAL);
	ck_refused(t,
	    rsp_headers_set(t->res->headers, "x-accel-redirect", "/a"),
	    RSP_EINVAL);
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "HTTP/1.1 404 Not Found\r\nContent-Type: application/pdf\r\n"
	    "Content-Length: 4\r\nSet-Cookie: seen=1; Path=/\r\n" NPH_REQ
	    "\r\nbody");
	tu_free(t);

	t = tu_new(RSP_CGI);
	ck_ok(rsp_offload_file(t->res, RSP_OFFLOAD_APACHE, "/srv/a"));
	ck_refused(t, rsp_set_flavour(t->res, RSP_NPH), RSP_EINVAL);
	ck_ok(rsp_set_flavour(t->res, RSP_H2));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nx-sendfile: /srv/a\r\n\r\n");
	tu_free(t);

	/* The writer applies the same rule. */
	t = tu_new(RSP_NPH);
	ck_rc(rsp_writer_write_header(t->res->writer, "X-Accel-Redirect", "/a"),
	    RSP_EINVAL);
	ck_ok(rsp_writer_flush(t->res->writer));
	ck_out(t, "");
	tu_free(t);
}
END_TEST

/* A file content's descriptor is closed; the last call wins. */
START_TEST(test_offload_replaces)
{
	int fd = tu_temp_file(1000, NULL);
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_content_file(t->res, fd));
	ck_ok(rsp_offload_file(t->res, RSP_OFFLOAD_NGINX, "/protected/one"));
	ck_assert_msg(tu_fd_is_closed(fd),
	    "the file content's descriptor left open");
	ck_ok(rsp_offload_file(t->res, RSP_OFFLOAD_NGINX, "/protected/two"));
	ck_ok(rsp_offload_file(t->res, RSP_OFFLOAD_APACHE, "/srv/three"));
	ck_assert_ptr_null(rsp_headers_get(t->res->headers,
	    "X-Accel-Redirect"));
	ck_ok(rsp_offload_file(t->res, RSP_OFFLOAD_NGINX, "/protected/four"));
	ck_assert_ptr_null(rsp_headers_get(t->res->headers, "X-Sendfile"));
	ck_assert_uint_eq(rsp_headers_count(t->res->headers), 1);
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 200 OK\r\nX-Accel-Redirect: /protected/four\r\n\r\n");
	ck_assert(t->res->close_connection);
	tu_free(t);

	/* An error afterwards replaces every header, the offload's too. */
	t = tu_new(RSP_CGI);
	ck_ok(rsp_offload_file(t->res, RSP_OFFLOAD_NGINX, "/protected/x"));
	ck_ok(rsp_set_error(t->res, 403, "no"));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 403 Forbidden\r\nContent-Type: application/json\r\n"
	    "Content-Length: 41\r\n\r\n{\"error\": {\"code\": 403, \"message\": \"no\"}}");
	tu_free(t);
}
END_TEST

/* HEAD: the same header block, and still no body. */
START_TEST(test_offload_head)
{
	struct tu *t = tu_method("HEAD", RSP_CGI);
	ck_ok(rsp_headers_set(t->res->headers, "Content-Type", "text/plain"));
	ck_ok(rsp_offload_file(t->res, RSP_OFFLOAD_APACHE, "/srv/a.txt"));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 200 OK\r\nContent-Type: text/plain\r\nX-Sendfile: /srv/a.txt\r\n\r\n");
	tu_free(t);
}
END_TEST

/* Targets each mechanism takes as they are. */
START_TEST(test_offload_accepted)
{
	static const struct {
		enum rsp_offload how;
		const char *target;
	} ok[] = {
		{ RSP_OFFLOAD_NGINX, "/a" },
		{ RSP_OFFLOAD_NGINX, "/a/..b/c.." },
		{ RSP_OFFLOAD_NGINX, "/.../x" },
		{ RSP_OFFLOAD_NGINX, "/a/./b" },
		{ RSP_OFFLOAD_NGINX, "//a" },
		{ RSP_OFFLOAD_NGINX, "/with space/caf\xc3\xa9.txt" },
		{ RSP_OFFLOAD_APACHE, "/srv/a b/caf\xc3\xa9.txt" },
		{ RSP_OFFLOAD_APACHE, "/srv/what?.txt" },
		{ RSP_OFFLOAD_APACHE, "/srv/#1.txt" },
		/* A C string ends at its NUL: this target is "/a". */
		{ RSP_OFFLOAD_APACHE, "/a\0/../etc/passwd" },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct tu *t = tu_new(RSP_CGI);
		const char *name = ok[i].how == RSP_OFFLOAD_NGINX
		    ? "X-Accel-Redirect"
		    : "X-Sendfile";
		tu_set_ctx("accepted", name, ok[i].target);
		ck_assert_msg(rsp_offload_file(t->res, ok[i].how,
		                  ok[i].target) == RSP_OK,
		    "%srefused", tu_ctx);
		ck_assert_str_eq(rsp_headers_get(t->res->headers, name),
		    ok[i].target);
		tu_free(t);
	}
}
END_TEST

/* Refused input: RSP_EINVAL, and the response exactly as it was (header
 * list, status, output so far, and the content that still goes out). */
START_TEST(test_offload_refused)
{
	static const char *const bad_both[] = {
		"",
		"relative/file",
		"file",
		".",
		"./a",
		"../a",
		"/..",
		"/../etc/passwd",
		"/a/../b",
		"/a/..",
		"/a/b/../../c",
		"/a\r\nX-Evil: 1",
		"/a\rb",
		"/a\nb",
		"/a\tb",
		"/a\x01",
		"/a\x1f",
		"/a\x7f",
		"/\x1b[0m",
		"/a%2e%2e/b",
		"/a%2Fb",
		"/%00",
		"/100%",
		"/",
		"/dir/",
		"/a/b/",
	};
	static const char *const bad_nginx[] = { "/a?b=1", "/a?", "/a#top" };
	static const enum rsp_offload hows[] = { RSP_OFFLOAD_NGINX,
		RSP_OFFLOAD_APACHE };

	for (size_t h = 0; h < 2; h++) {
		for (size_t i = 0; i < sizeof(bad_both) / sizeof(bad_both[0]);
		     i++) {
			struct tu *t = offload_base(RSP_CGI);
			tu_set_ctx("refused", h ? "apache" : "nginx",
			    bad_both[i]);
			ck_refused(t,
			    rsp_offload_file(t->res, hows[h], bad_both[i]),
			    RSP_EINVAL);
			ck_ok(rsp_finish(t->res));
			ck_out(t,
			    "Status: 404 Not Found\r\nContent-Type: application/pdf\r\n"
			    "Content-Length: 4\r\nSet-Cookie: seen=1; Path=/\r\n\r\nbody");
			tu_free(t);
		}
	}
	for (size_t i = 0; i < sizeof(bad_nginx) / sizeof(bad_nginx[0]); i++) {
		struct tu *t = offload_base(RSP_CGI);
		tu_set_ctx("refused", "nginx", bad_nginx[i]);
		ck_refused(t,
		    rsp_offload_file(t->res, RSP_OFFLOAD_NGINX, bad_nginx[i]),
		    RSP_EINVAL);
		tu_free(t);
	}
	tu_ctx[0] = '\0';

	struct tu *t = offload_base(RSP_H2);
	ck_refused(t, rsp_offload_file(t->res, RSP_OFFLOAD_NGINX, NULL),
	    RSP_EINVAL);
	ck_refused(t, rsp_offload_file(t->res, RSP_OFFLOAD_APACHE, NULL),
	    RSP_EINVAL);
	ck_refused(t,
	    rsp_offload_file(t->res, RSP_OFFLOAD_NONE, "/protected/a"),
	    RSP_EINVAL);
	ck_refused(t,
	    rsp_offload_file(t->res, (enum rsp_offload)3, "/protected/a"),
	    RSP_EINVAL);
	ck_refused(t,
	    rsp_offload_file(t->res, (enum rsp_offload) - 1, "/protected/a"),
	    RSP_EINVAL);
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 404 Not Found\r\ncontent-type: application/pdf\r\n"
	    "content-length: 4\r\nset-cookie: seen=1; Path=/\r\n\r\nbody");
	tu_free(t);
	ck_rc(rsp_offload_file(NULL, RSP_OFFLOAD_NGINX, "/protected/a"),
	    RSP_EINVAL);
}
END_TEST

/* Once anything went through the writer the header block is out or on its
 * way: RSP_ESTATE, nothing changed. */
START_TEST(test_offload_after_output)
{
	struct tu *t = offload_base(RSP_CGI);
	ck_ok(rsp_writer_write_status(t->res->writer, 200, NULL));
	ck_refused(t,
	    rsp_offload_file(t->res, RSP_OFFLOAD_NGINX, "/protected/a"),
	    RSP_ESTATE);
	ck_refused(t, rsp_offload_file(t->res, RSP_OFFLOAD_APACHE, "/srv/a"),
	    RSP_ESTATE);
	tu_free(t);

	t = offload_base(RSP_CGI);
	ck_ok(rsp_write_status_headers(t->res));
	ck_refused(t,
	    rsp_offload_file(t->res, RSP_OFFLOAD_NGINX, "/protected/a"),
	    RSP_ESTATE);
	ck_ok(rsp_write_content(t->res));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 404 Not Found\r\nContent-Type: application/pdf\r\n"
	    "Content-Length: 4\r\nSet-Cookie: seen=1; Path=/\r\n\r\nbody");
	ck_refused(t, rsp_offload_file(t->res, RSP_OFFLOAD_APACHE, "/srv/a"),
	    RSP_ESTATE);
	tu_free(t);

	t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_raw(t->res->writer, "Status: 200 OK\r\n", -1));
	ck_refused(t,
	    rsp_offload_file(t->res, RSP_OFFLOAD_NGINX, "/protected/a"),
	    RSP_ESTATE);
	tu_free(t);
}
END_TEST

/* rsp_set_error's log line: the caller's message escaped, one line. */
START_TEST(test_set_error_log_escaped)
{
	struct tu_stderr cap;
	tu_stderr_begin(&cap);
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_error(t->res, 502, "upstream /x\r\nInjected: 1\x01\\"));
	char *log = tu_stderr_end(&cap);
	ck_assert_str_eq(log,
	    "respond: 502 upstream /x\\x0d\\x0aInjected: 1\\x01\\x5c\n");
	free(log);
	/* the client still gets the message as JSON */
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 502 Bad Gateway\r\nContent-Type: application/json\r\n"
	    "Content-Length: 73\r\n\r\n{\"error\": {\"code\": 502, \"message\": "
	    "\"upstream /x\\r\\nInjected: 1\\u0001\\\\\"}}");
	tu_free(t);
}
END_TEST

/* rsp_err_name beside rsp_strerror, from the same list. */
START_TEST(test_err_names)
{
	ck_assert_str_eq(rsp_err_name(RSP_OK), "RSP_OK");
	ck_assert_str_eq(rsp_err_name(RSP_EINVAL), "RSP_EINVAL");
	ck_assert_str_eq(rsp_err_name(RSP_EBADREQ), "RSP_EBADREQ");
	ck_assert_str_eq(rsp_err_name(RSP_ECALLBACK), "RSP_ECALLBACK");
	ck_assert_str_eq(rsp_err_name(1), "RSP_UNKNOWN");
	ck_assert_str_eq(rsp_err_name(-9), "RSP_UNKNOWN");
	ck_assert_str_eq(rsp_strerror(-9), "unknown error");
	struct tu *t = tu_new(RSP_CGI);
	ck_assert_str_eq(rsp_response_errmsg(t->res), "");
	ck_refused_why(t, rsp_set_status(t->res, 99, NULL), RSP_EINVAL,
	    "status code outside 200..999");
	ck_refused_why(t, rsp_headers_set(t->res->headers, "X A", "1"),
	    RSP_EINVAL, "header name is not an RFC 9110 token");
	ck_refused_why(t, rsp_headers_set(t->res->headers, "X-A", "1\r\n"),
	    RSP_EINVAL,
	    "header value holds CR, LF, NUL or another control byte");
	ck_assert_str_eq(rsp_response_errmsg(NULL), "no response (NULL)");
	tu_free(t);
}
END_TEST

/* A part's free_fn runs exactly once, whichever way the part goes. */
struct freed {
	int calls, frees;
};

static int part_freed(void *arg, const void **data, size_t *len)
{
	struct freed *f = arg;
	ck_assert_int_eq(f->frees, 0); /* never called after its release */
	f->calls++;
	*data = "p";
	*len = 1;
	return 0;
}

static void free_counted(void *arg)
{
	((struct freed *)arg)->frees++;
}

static int sink_gone(void *ctx, const void *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return RSP_EIO;
}

START_TEST(test_part_fn_free)
{
	/* written, then freed with the response */
	struct freed f = { 0 };
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_add_content_fn(t->res, part_freed, &f, free_counted));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\n\r\np");
	ck_assert_int_eq(f.frees, 0);
	tu_free(t);
	ck_assert_int_eq(f.calls, 1);
	ck_assert_int_eq(f.frees, 1);

	/* refused: a file content takes no parts */
	struct freed g = { 0 };
	t = tu_new(RSP_CGI);
	ck_ok(rsp_set_content_file(t->res, tu_temp_file(3, NULL)));
	ck_refused_why(t,
	    rsp_add_content_fn(t->res, part_freed, &g, free_counted),
	    RSP_ESTATE, "the content is a file: parts cannot be added to it");
	ck_assert_int_eq(g.frees, 1);
	ck_refused(t, rsp_add_content_fn(t->res, NULL, &g, free_counted),
	    RSP_EINVAL);
	ck_assert_int_eq(g.frees, 2);
	tu_free(t);
	ck_assert_int_eq(g.frees, 2);
	ck_assert_int_eq(g.calls, 0);

	/* replaced by other content, or by an error */
	struct freed h = { 0 };
	t = tu_new(RSP_CGI);
	ck_ok(rsp_add_content_fn(t->res, part_freed, &h, free_counted));
	ck_ok(rsp_add_content_fn(t->res, part_freed, &h, free_counted));
	ck_ok(rsp_set_content(t->res, "s", 1));
	ck_assert_int_eq(h.frees, 2);
	ck_ok(rsp_add_content_fn(t->res, part_freed, &h, free_counted));
	ck_ok(rsp_set_error(t->res, 404, "gone"));
	ck_assert_int_eq(h.frees, 3);
	tu_free(t);
	ck_assert_int_eq(h.frees, 3);
	ck_assert_int_eq(h.calls, 0);

	/* the client is gone */
	struct freed k = { 0 };
	rsp_sink gone = { sink_gone, NULL, NULL };
	rsp_response *res = rsp_response_new(NULL, gone);
	ck_ok(rsp_add_content_fn(res, part_freed, &k, free_counted));
	ck_rc(rsp_finish(res), RSP_EIO);
	rsp_response_free(res);
	ck_assert_int_eq(k.frees, 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("response");
	TCase *tc = tcase_create("transcripts");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_seed_example, RSP_CGI, RSP_H2 + 1);
	tcase_add_loop_test(tc, test_transcript_string, RSP_CGI, RSP_H2 + 1);
	tcase_add_loop_test(tc, test_transcript_short_length, RSP_CGI,
	    RSP_H2 + 1);
	tcase_add_loop_test(tc, test_transcript_custom_status, RSP_CGI,
	    RSP_H2 + 1);
	tcase_add_loop_test(tc, test_transcript_none, RSP_CGI, RSP_H2 + 1);
	tcase_add_loop_test(tc, test_transcript_reason_none, RSP_CGI,
	    RSP_H2 + 1);
	tcase_add_loop_test(tc, test_transcript_599_empty, RSP_CGI, RSP_H2 + 1);
	tcase_add_loop_test(tc, test_transcript_parts, RSP_CGI, RSP_H2 + 1);
	tcase_add_loop_test(tc, test_transcript_head, RSP_CGI, RSP_H2 + 1);
	suite_add_tcase(s, tc);

	tc = tcase_create("response");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_head_send_body);
	tcase_add_test(tc, test_head_file);
	tcase_add_test(tc, test_no_body_statuses);
	tcase_add_test(tc, test_suppressed_body_not_short);
	tcase_add_test(tc, test_content_replace_and_append);
	tcase_add_test(tc, test_content_copied);
	tcase_add_test(tc, test_part_fn_called_when_written);
	tcase_add_test(tc, test_part_fn_failure);
	tcase_add_test(tc, test_iter_kinds);
	tcase_add_test(tc, test_iter_each_stops);
	tcase_add_test(tc, test_iter_file);
	tcase_add_loop_test(tc, test_content_file_regular, RSP_CGI, RSP_H2 + 1);
	tcase_add_test(tc, test_content_file_offset);
	tcase_add_loop_test(tc, test_content_file_pipe, RSP_CGI, RSP_H2 + 1);
	tcase_add_test(tc, test_write_in_steps);
	tcase_add_test(tc, test_finish_completes);
	tcase_add_loop_test(tc, test_user_content_length, RSP_CGI, RSP_H2 + 1);
	tcase_add_test(tc, test_iter_pipe);
	tcase_add_test(tc, test_null_arguments);
	tcase_add_test(tc, test_flavour_from_request);
	tcase_add_loop_test(tc, test_no_required_headers, RSP_CGI, RSP_H2 + 1);
	suite_add_tcase(s, tc);

	tc = tcase_create("offload");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_offload_nginx, RSP_CGI, RSP_CGI + 1);
	tcase_add_loop_test(tc, test_offload_nginx, RSP_H2, RSP_H2 + 1);
	tcase_add_loop_test(tc, test_offload_apache, RSP_CGI, RSP_CGI + 1);
	tcase_add_loop_test(tc, test_offload_apache, RSP_H2, RSP_H2 + 1);
	tcase_add_test(tc, test_offload_nph);
	tcase_add_test(tc, test_offload_replaces);
	tcase_add_test(tc, test_offload_head);
	tcase_add_test(tc, test_offload_accepted);
	tcase_add_test(tc, test_offload_refused);
	tcase_add_test(tc, test_offload_after_output);
	tcase_add_test(tc, test_set_error_log_escaped);
	tcase_add_test(tc, test_err_names);
	tcase_add_test(tc, test_part_fn_free);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
