/* check_writer.c - rsp_writer_*: status/header/end_headers/content/file/text/raw/
 * flush/encode, the state machine, Content-Length rules, CGI raw status-line rewrite. */
#include "testutil.h"

/* ---- the seed's second example ------------------------------------------ */

START_TEST(test_seed_writer_example)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	rsp_writer *w = t->res->writer;
	t->res->add_required_headers = false;
	ck_ok(rsp_writer_write_header(w, "Content-Type", "text/plain"));
	char len[16];
	snprintf(len, sizeof len, "%zu", strlen("Some example content"));
	ck_ok(rsp_writer_write_header(w, "Content-Length", len));
	ck_ok(rsp_writer_write(w, "Some ", -1));
	ck_ok(rsp_writer_write(w, "example content", -1));
	ck_ok(rsp_finish(t->res));
	if (f == RSP_CGI)
		ck_out(t,
		    "Status: 200 OK\r\nContent-Type: text/plain\r\n"
		    "Content-Length: 20\r\n\r\nSome example content");
	else if (f == RSP_NPH)
		ck_out(t,
		    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
		    "Content-Length: 20\r\n\r\nSome example content");
	else
		ck_out(t,
		    "Status: 200 OK\r\ncontent-type: text/plain\r\n"
		    "content-length: 20\r\n\r\nSome example content");
	ck_assert(!t->res->close_connection);
	tu_free(t);
}
END_TEST

/* ---- write_content ---------------------------------------------------- */

START_TEST(test_write_content_fresh)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_writer_write_content(t->res->writer, "TEST", -1));
	ck_ok(rsp_finish(t->res));
	if (f == RSP_CGI)
		ck_out(t, "Status: 200 OK\r\nContent-Length: 4\r\n\r\nTEST");
	else if (f == RSP_NPH)
		ck_out(t,
		    "HTTP/1.1 200 OK\r\n" NPH_REQ
		    "Content-Length: 4\r\n\r\nTEST");
	else
		ck_out(t, "Status: 200 OK\r\ncontent-length: 4\r\n\r\nTEST");
	ck_assert(!t->res->close_connection);
	tu_free(t);
}
END_TEST

START_TEST(test_write_content_no_required)
{
	struct tu *t = tu_new(RSP_CGI);
	t->res->add_required_headers = false;
	ck_ok(rsp_writer_write_content(t->res->writer, "TEST", 4));
	ck_ok(rsp_writer_write_content(t->res->writer, "MORE", 4));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\n\r\nTESTMORE");
	ck_assert(t->res->close_connection);
	tu_free(t);

	t = tu_new(RSP_NPH);
	t->res->add_required_headers = false;
	ck_ok(rsp_writer_write_content(t->res->writer, "TEST", 4));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "HTTP/1.1 200 OK\r\n\r\nTEST");
	ck_assert(t->res->close_connection);
	tu_free(t);
}
END_TEST

/* The first chunk's length is the inferred Content-Length: more is refused. */
START_TEST(test_write_content_inferred_limit)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_writer *w = t->res->writer;
	ck_ok(rsp_writer_write_content(w, "TE", 2));
	ck_refused(t, rsp_writer_write_content(w, "ST", 2), RSP_ESTATE);
	ck_refused(t, rsp_writer_write(w, "ST", 2), RSP_ESTATE);
	ck_ok(rsp_writer_write_content(w, "", 0));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 2\r\n\r\nTE");
	tu_free(t);

	/* an empty first chunk declares 0 */
	t = tu_new(RSP_CGI);
	w = t->res->writer;
	ck_ok(rsp_writer_write_content(w, "", 0));
	ck_refused(t, rsp_writer_write_content(w, "x", 1), RSP_ESTATE);
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 0\r\n\r\n");
	tu_free(t);
}
END_TEST

/* After an explicit end_headers no length is inferred. */
START_TEST(test_write_content_after_block)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_writer *w = t->res->writer;
	ck_ok(rsp_writer_write_status(w, 201, NULL));
	ck_ok(rsp_writer_write_header(w, "X-A", "1"));
	ck_ok(rsp_writer_end_headers(w));
	ck_assert(t->res->close_connection);
	ck_ok(rsp_writer_write_content(w, "abc", 3));
	ck_ok(rsp_writer_write_content(w, "\0\xff", 2));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 201 Created\r\nX-A: 1\r\n\r\nabc\0\xff");
	tu_free(t);
}
END_TEST

/* A large first chunk (bigger than any write buffer). */
START_TEST(test_write_content_large)
{
	size_t n = 100000;
	unsigned char *data = tu_pattern_bytes(n);
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_content(t->res->writer, data, (ssize_t)n));
	ck_ok(rsp_finish(t->res));
	const char *head = "Status: 200 OK\r\nContent-Length: 100000\r\n\r\n";
	size_t hl = strlen(head);
	char *exp = malloc(hl + n);
	memcpy(exp, head, hl);
	memcpy(exp + hl, data, n);
	ck_out_n(t, exp, hl + n);
	free(exp);
	free(data);
	tu_free(t);
}
END_TEST

/* ---- status, headers, end_headers ------------------------------------- */

START_TEST(test_write_status_headers_flavours)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	rsp_writer *w = t->res->writer;
	ck_ok(rsp_writer_write_status(w, 202, "Some Status"));
	ck_ok(rsp_writer_write_header(w, "test-header", "test-value"));
	ck_ok(rsp_writer_write_header(w, "X-Dup", "1"));
	ck_ok(rsp_writer_write_header(w, "X-Dup", "2"));
	ck_ok(rsp_writer_end_headers(w));
	ck_ok(rsp_writer_write_raw(w, "body", 4));
	ck_ok(rsp_finish(t->res));
	if (f == RSP_CGI)
		ck_out(t,
		    "Status: 202 Some Status\r\ntest-header: test-value\r\n"
		    "X-Dup: 1\r\nX-Dup: 2\r\n\r\nbody");
	else if (f == RSP_NPH)
		ck_out(t,
		    "HTTP/1.1 202 Some Status\r\ntest-header: test-value\r\n"
		    "X-Dup: 1\r\nX-Dup: 2\r\n" NPH_REQ "Connection: close\r\n"
		    "\r\nbody");
	else
		ck_out(t,
		    "Status: 202 Some Status\r\ntest-header: test-value\r\n"
		    "x-dup: 1\r\nx-dup: 2\r\n\r\nbody");
	ck_assert(t->res->close_connection);
	tu_free(t);
}
END_TEST

START_TEST(test_header_writes_default_status)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_header(t->res->writer, "X-A", "1"));
	ck_ok(rsp_writer_flush(t->res->writer));
	ck_out(t, "Status: 200 OK\r\nX-A: 1\r\n");
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nX-A: 1\r\n\r\n");
	tu_free(t);

	t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_end_headers(t->res->writer));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\n\r\n");
	tu_free(t);
}
END_TEST

/* NPH: the user's Server/Date/Connection/Content-Length are not repeated. */
START_TEST(test_nph_user_required_headers)
{
	struct tu *t = tu_new(RSP_NPH);
	rsp_writer *w = t->res->writer;
	ck_ok(rsp_writer_write_header(w, "Server", "mine"));
	ck_ok(rsp_writer_write_header(w, "date",
	    "Sun, 06 Nov 1994 08:49:37 GMT"));
	ck_ok(rsp_writer_end_headers(w));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "HTTP/1.1 200 OK\r\nServer: mine\r\n"
	    "date: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: close\r\n\r\n");
	tu_free(t);

	t = tu_new(RSP_NPH);
	w = t->res->writer;
	ck_ok(rsp_writer_write_header(w, "SERVER", "mine"));
	ck_ok(rsp_writer_end_headers(w));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "HTTP/1.1 200 OK\r\nSERVER: mine\r\n" NPH_DATE
	    "Connection: close\r\n\r\n");
	tu_free(t);

	t = tu_new(RSP_NPH);
	w = t->res->writer;
	ck_ok(rsp_writer_write_header(w, "Connection", "close"));
	ck_ok(rsp_writer_end_headers(w));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "HTTP/1.1 200 OK\r\nConnection: close\r\n" NPH_REQ "\r\n");
	ck_assert(t->res->close_connection);
	tu_free(t);

	t = tu_new(RSP_NPH);
	w = t->res->writer;
	ck_ok(rsp_writer_write_header(w, "content-length", "3"));
	ck_ok(rsp_writer_write_content(w, "abc", 3));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "HTTP/1.1 200 OK\r\ncontent-length: 3\r\n" NPH_REQ "\r\nabc");
	ck_assert(!t->res->close_connection);
	tu_free(t);
}
END_TEST

START_TEST(test_state_guards)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_writer *w = t->res->writer;
	ck_ok(rsp_writer_write_status(w, 200, NULL));
	ck_refused(t, rsp_writer_write_status(w, 404, NULL), RSP_ESTATE);
	ck_ok(rsp_writer_write_header(w, "X-A", "1"));
	ck_refused(t, rsp_writer_write_status(w, 404, NULL), RSP_ESTATE);
	ck_ok(rsp_writer_end_headers(w));
	ck_refused(t, rsp_writer_end_headers(w), RSP_ESTATE);
	ck_refused(t, rsp_writer_write_header(w, "X-B", "2"), RSP_ESTATE);
	ck_refused(t, rsp_writer_write_status(w, 404, NULL), RSP_ESTATE);
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nX-A: 1\r\n\r\n");
	tu_free(t);

	/* a status after a header that wrote the default status */
	t = tu_new(RSP_CGI);
	w = t->res->writer;
	ck_ok(rsp_writer_write_header(w, "X-A", "1"));
	ck_refused(t, rsp_writer_write_status(w, 201, NULL), RSP_ESTATE);
	tu_free(t);

	/* a status after body bytes */
	t = tu_new(RSP_CGI);
	w = t->res->writer;
	ck_ok(rsp_writer_write(w, "x", 1));
	ck_refused(t, rsp_writer_write_status(w, 201, NULL), RSP_ESTATE);
	ck_refused(t, rsp_writer_write_header(w, "X-A", "1"), RSP_ESTATE);
	ck_refused(t, rsp_writer_end_headers(w), RSP_ESTATE);
	tu_free(t);
}
END_TEST

/* After rsp_finish every write is RSP_ESTATE and nothing more goes out. */
START_TEST(test_after_finish)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_writer *w = t->res->writer;
	ck_ok(rsp_set_content(t->res, "x", 1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 1\r\n\r\nx");
	int fd = tu_temp_file(10, NULL);
	ck_refused(t, rsp_writer_write_status(w, 200, NULL), RSP_ESTATE);
	ck_refused(t, rsp_writer_write_header(w, "X-A", "1"), RSP_ESTATE);
	ck_refused(t, rsp_writer_end_headers(w), RSP_ESTATE);
	ck_refused(t, rsp_writer_write_content(w, "y", 1), RSP_ESTATE);
	ck_refused(t, rsp_writer_write_content_file(w, fd), RSP_ESTATE);
	ck_refused(t, rsp_writer_write(w, "y", 1), RSP_ESTATE);
	ck_refused(t, rsp_writer_write_raw(w, "y", 1), RSP_ESTATE);
	ck_refused(t, rsp_write(t->res), RSP_ESTATE);
	ck_refused(t, rsp_write_status_headers(t->res), RSP_ESTATE);
	ck_refused(t, rsp_write_content(t->res), RSP_ESTATE);
	ck_refused(t, rsp_set_flavour(t->res, RSP_NPH), RSP_ESTATE);
	(void)rsp_finish(t->res);
	ck_out(t, "Status: 200 OK\r\nContent-Length: 1\r\n\r\nx");
	close(fd);
	tu_free(t);
}
END_TEST

/* ---- declared Content-Length -------------------------------------------- */

START_TEST(test_declared_length)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_writer *w = t->res->writer;
	ck_ok(rsp_writer_write_header(w, "Content-Length", "4"));
	ck_ok(rsp_writer_end_headers(w));
	ck_refused(t, rsp_writer_write_content(w, "test data", 9), RSP_ESTATE);
	ck_refused(t, rsp_writer_write(w, "test data", 9), RSP_ESTATE);
	int fd = tu_temp_file(9, NULL);
	ck_refused(t, rsp_writer_write_content_file(w, fd), RSP_ESTATE);
	ck_ok(rsp_writer_write_content(w, "te", 2));
	ck_ok(rsp_writer_write(w, "s", 1));
	ck_refused(t, rsp_writer_write_content(w, "ta", 2), RSP_ESTATE);
	ck_ok(rsp_writer_write_content(w, "t", 1));
	ck_refused(t, rsp_writer_write(w, "!", 1), RSP_ESTATE);
	/* raw is not counted */
	ck_ok(rsp_writer_write_raw(w, "RAW", 3));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 4\r\n\r\ntestRAW");
	tu_free(t);
}
END_TEST

/* A body that ends short of its Content-Length: rsp_finish says so and logs. */
START_TEST(test_declared_length_short)
{
	struct tu_stderr cap;
	tu_stderr_begin(&cap);
	struct tu *t = tu_new(RSP_CGI);
	rsp_writer *w = t->res->writer;
	int rc1 = rsp_writer_write_header(w, "Content-Length", "10");
	int rc2 = rsp_writer_write_content(w, "abcd", 4);
	int rc3 = rsp_finish(t->res);
	char *log = tu_stderr_end(&cap);
	ck_assert_int_eq(rc1, RSP_OK);
	ck_assert_int_eq(rc2, RSP_OK);
	ck_assert_int_eq(rc3, RSP_ESTATE);
	ck_assert_msg(log[0] != 0, "nothing logged for a short body");
	ck_out(t, "Status: 200 OK\r\nContent-Length: 10\r\n\r\nabcd");
	free(log);
	tu_free(t);
}
END_TEST

/* ---- 204 / 304 ---------------------------------------------------------- */

START_TEST(test_no_body_statuses)
{
	static const int codes[] = { 204, 304 };
	for (size_t i = 0; i < 2; i++) {
		struct tu *t = tu_new(RSP_CGI);
		rsp_writer *w = t->res->writer;
		ck_ok(rsp_writer_write_status(w, codes[i], NULL));
		ck_refused(t, rsp_writer_write_content(w, "x", 1), RSP_ESTATE);
		ck_refused(t, rsp_writer_write(w, "x", 1), RSP_ESTATE);
		int fd = tu_temp_file(3, NULL);
		ck_refused(t, rsp_writer_write_content_file(w, fd), RSP_ESTATE);
		ck_ok(rsp_writer_end_headers(w));
		ck_refused(t, rsp_writer_write_content(w, "x", 1), RSP_ESTATE);
		ck_ok(rsp_writer_write_raw(w, "raw", 3));
		ck_ok(rsp_finish(t->res));
		char *exp = tu_strdupf("Status: %d %s\r\n\r\nraw", codes[i],
		    codes[i] == 204 ? "No Content" : "Not Modified");
		ck_out_s(t, exp);
		free(exp);
		tu_free(t);
	}
}
END_TEST

/* ---- text, encodings -------------------------------------------------- */

START_TEST(test_write_text)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write(t->res->writer, "hello ", -1));
	ck_ok(rsp_writer_write(t->res->writer, "w\xc3\xb6rldXXX", 6));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\n\r\nhello w\xc3\xb6rld");
	ck_assert(t->res->close_connection);
	tu_free(t);
}
END_TEST

START_TEST(test_encoding_names)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_assert_str_eq(rsp_encoding(t->res), "utf-8");
	ck_refused(t, rsp_set_encoding(t->res, "no-such-charset"),
	    RSP_ECHARSET);
	ck_refused(t, rsp_set_encoding(t->res, ""), RSP_ECHARSET);
	ck_assert_str_eq(rsp_encoding(t->res), "utf-8");
	ck_ok(rsp_set_encoding(t->res, "ISO-8859-1"));
	ck_assert_str_eq(rsp_encoding(t->res), "ISO-8859-1");
	ck_refused(t, rsp_set_encoding(t->res, "x-unknown-42"), RSP_ECHARSET);
	ck_assert_str_eq(rsp_encoding(t->res), "ISO-8859-1");
	ck_ok(rsp_set_encoding(t->res, "UTF-8"));
	ck_assert_str_eq(rsp_encoding(t->res), "UTF-8");
	tu_free(t);
}
END_TEST

START_TEST(test_write_latin1)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_writer *w = t->res->writer;
	ck_ok(rsp_set_encoding(t->res, "ISO-8859-1"));
	/* text the charset cannot hold: nothing written, not even the status */
	ck_refused(t, rsp_writer_write(w, "\xe2\x82\xac", -1), RSP_ECHARSET);
	ck_refused(t, rsp_writer_write(w, "caf\xc3\xa9 \xe2\x82\xac", -1),
	    RSP_ECHARSET);
	ck_refused(t, rsp_writer_write(w, "bad \xff", -1), RSP_ECHARSET);
	ck_assert_uint_eq(t->buf.len, 0);
	ck_ok(rsp_writer_write(w, "caf\xc3\xa9", -1));
	ck_refused(t, rsp_writer_write(w, "\xe2\x82\xac", -1), RSP_ECHARSET);
	/* bytes through write_content and write_raw are not converted */
	ck_ok(rsp_writer_write_content(w, "\xc3\xa9", 2));
	ck_ok(rsp_writer_write_raw(w, "\xc3\xa9", 2));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\n\r\ncaf\xe9\xc3\xa9\xc3\xa9");
	tu_free(t);
}
END_TEST

/* Invalid UTF-8 is refused even when no conversion is needed. */
START_TEST(test_write_invalid_utf8)
{
	static const char *const bad[] = { "\xff", "caf\xc3", "\xed\xa0\x80",
		"\xc0\xaf", "\xf4\x90\x80\x80", "a\xe2\x82" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct tu *t = tu_new(RSP_CGI);
		ck_refused(t, rsp_writer_write(t->res->writer, bad[i], -1),
		    RSP_ECHARSET);
		ck_ok(rsp_writer_write(t->res->writer, "ok", -1));
		ck_ok(rsp_finish(t->res));
		ck_out(t, "Status: 200 OK\r\n\r\nok");
		tu_free(t);
	}
}
END_TEST

START_TEST(test_encode)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_writer *w = t->res->writer;
	struct rsp_buffer out = { 0 };
	ck_ok(rsp_writer_encode(w, "caf\xc3\xa9", -1, &out));
	ck_bytes(out.data, out.len, "caf\xc3\xa9", 5);
	ck_ok(rsp_set_encoding(t->res, "ISO-8859-1"));
	ck_ok(rsp_writer_encode(w, "\xc3\xa9xyz", 3, &out));
	ck_bytes(out.data, out.len, "caf\xc3\xa9\xe9x", 7);
	/* unrepresentable or invalid: RSP_ECHARSET, out unchanged */
	ck_rc(rsp_writer_encode(w, "a\xe2\x82\xac", -1, &out), RSP_ECHARSET);
	tu_count_refused();
	ck_rc(rsp_writer_encode(w, "a\xff", -1, &out), RSP_ECHARSET);
	tu_count_refused();
	ck_bytes(out.data, out.len, "caf\xc3\xa9\xe9x", 7);
	ck_ok(rsp_set_encoding(t->res, "UTF-16LE"));
	ck_ok(rsp_writer_encode(w, "A\xe2\x82\xac", -1, &out));
	ck_bytes(out.data, out.len,
	    "caf\xc3\xa9\xe9x"
	    "A\0\xac\x20",
	    11);
	rsp_buffer_free(&out);
	/* encode sends nothing */
	ck_ok(rsp_writer_flush(w));
	ck_assert_uint_eq(t->buf.len, 0);
	tu_free(t);
}
END_TEST

START_TEST(test_write_utf16)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_encoding(t->res, "UTF-16BE"));
	ck_ok(rsp_writer_write(t->res->writer, "h\xc3\xa9", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\n\r\n\0h\0\xe9");
	tu_free(t);
}
END_TEST

/* ---- raw ------------------------------------------------------------- */

START_TEST(test_write_raw_only)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_writer_write_raw(t->res->writer, "raw\0bytes\r\n", 11));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "raw\0bytes\r\n");
	tu_free(t);
}
END_TEST

START_TEST(test_raw_status_rewrite_cgi)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_raw(t->res->writer,
	    "HTTP/1.1 202 Giraffe\r\nX-Test: PASS\r\n\r\nContent", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 202 Giraffe\r\nX-Test: PASS\r\n\r\nContent");
	tu_free(t);

	t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_raw(t->res->writer,
	    "HTTP/1.0 404 Not Found\nX: 1\n\nbody", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 404 Not Found\nX: 1\n\nbody");
	tu_free(t);
}
END_TEST

START_TEST(test_raw_status_untouched)
{
	/* NPH sends the status line as it is */
	struct tu *t = tu_new(RSP_NPH);
	ck_ok(rsp_writer_write_raw(t->res->writer,
	    "HTTP/1.1 202 Giraffe\r\nX-Test: PASS\r\n\r\nContent", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "HTTP/1.1 202 Giraffe\r\nX-Test: PASS\r\n\r\nContent");
	tu_free(t);

	/* raw bytes that do not start with a status line */
	static const char *const other[] = {
		"Status: 200 OK\r\n\r\nx",
		"HTTPS/1.1 200 OK\r\n\r\n",
		"http/1.1 200 OK\r\n\r\n",
		"xHTTP/1.1 200 OK\r\n",
		"<html>HTTP/1.1 200 OK</html>",
	};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		t = tu_new(RSP_CGI);
		ck_ok(rsp_writer_write_raw(t->res->writer, other[i], -1));
		ck_ok(rsp_finish(t->res));
		ck_out_s(t, other[i]);
		tu_free(t);
	}

	/* after a status has been written, raw bytes are body */
	t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_status(t->res->writer, 200, NULL));
	ck_ok(rsp_writer_end_headers(t->res->writer));
	ck_ok(rsp_writer_write_raw(t->res->writer, "HTTP/1.1 202 X\r\n", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\n\r\nHTTP/1.1 202 X\r\n");
	tu_free(t);

	/* a second raw write is never rewritten */
	t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_raw(t->res->writer, "X-A: 1\r\n", -1));
	ck_ok(rsp_writer_write_raw(t->res->writer, "HTTP/1.1 202 X\r\n", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "X-A: 1\r\nHTTP/1.1 202 X\r\n");
	tu_free(t);
}
END_TEST

/* ---- files ------------------------------------------------------------ */

START_TEST(test_write_content_file)
{
	size_t n = 200000;
	int fd = tu_temp_file(n, NULL);
	unsigned char *data = tu_pattern_bytes(n);
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_content_file(t->res->writer, fd));
	ck_assert_msg(tu_fd_is_closed(fd), "descriptor left open");
	ck_ok(rsp_finish(t->res));
	const char *head = "Status: 200 OK\r\n\r\n";
	size_t hl = strlen(head);
	char *exp = malloc(hl + n);
	memcpy(exp, head, hl);
	memcpy(exp + hl, data, n);
	ck_out_n(t, exp, hl + n);
	ck_assert(t->res->close_connection);
	free(exp);
	free(data);
	tu_free(t);
}
END_TEST

START_TEST(test_write_content_file_declared)
{
	int fd = tu_temp_file(10, NULL);
	unsigned char *data = tu_pattern_bytes(10);
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_header(t->res->writer, "Content-Length", "10"));
	ck_ok(rsp_writer_end_headers(t->res->writer));
	ck_ok(rsp_writer_write_content_file(t->res->writer, fd));
	ck_ok(rsp_finish(t->res));
	char exp[64];
	size_t hl = (size_t)sprintf(exp,
	    "Status: 200 OK\r\nContent-Length: 10\r\n\r\n");
	memcpy(exp + hl, data, 10);
	ck_out_n(t, exp, hl + 10);
	free(data);
	tu_free(t);
}
END_TEST

/* ---- buffering ------------------------------------------------------- */

/* Many small writes across buffer boundaries, mixed with big ones. */
START_TEST(test_buffering_order)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_writer *w = t->res->writer;
	ck_ok(rsp_writer_end_headers(w));
	struct rsp_buffer exp = { 0 };
	const char *head = "Status: 200 OK\r\n\r\n";
	size_t cap = 400000;
	exp.data = malloc(cap);
	memcpy(exp.data, head, strlen(head));
	exp.len = strlen(head);
	unsigned char *big = tu_pattern_bytes(70000);
	for (int i = 0; i < 3000; i++) {
		char chunk[32];
		int n = snprintf(chunk, sizeof chunk, "<%d>", i);
		int rc = (i % 3 == 0) ? rsp_writer_write_content(w, chunk, n)
		    : (i % 3 == 1)    ? rsp_writer_write(w, chunk, n)
		                      : rsp_writer_write_raw(w, chunk, n);
		ck_assert_int_eq(rc, RSP_OK);
		memcpy(exp.data + exp.len, chunk, (size_t)n);
		exp.len += (size_t)n;
		if (i == 1000 || i == 2000) {
			ck_ok(rsp_writer_write_content(w, big, 70000));
			memcpy(exp.data + exp.len, big, 70000);
			exp.len += 70000;
		}
	}
	ck_ok(rsp_finish(t->res));
	ck_out_n(t, exp.data, exp.len);
	free(big);
	free(exp.data);
	tu_free(t);
}
END_TEST

/* ---- flush ------------------------------------------------------------ */

START_TEST(test_flush)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_writer *w = t->res->writer;
	ck_ok(rsp_writer_flush(w));
	ck_assert_uint_eq(t->buf.len, 0);
	ck_ok(rsp_writer_write_status(w, 200, NULL));
	ck_ok(rsp_writer_flush(w));
	ck_out(t, "Status: 200 OK\r\n");
	ck_ok(rsp_writer_flush(w));
	ck_out(t, "Status: 200 OK\r\n");
	ck_ok(rsp_writer_write_header(w, "X-A", "1"));
	ck_ok(rsp_writer_end_headers(w));
	ck_ok(rsp_writer_write(w, "abc", 3));
	ck_ok(rsp_writer_flush(w));
	ck_out(t, "Status: 200 OK\r\nX-A: 1\r\n\r\nabc");
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nX-A: 1\r\n\r\nabc");
	tu_free(t);
}
END_TEST

/* ---- framing: HEAD, raw bytes, bodiless statuses, files ------------------ */

/* A HEAD request: the writer keeps the GET's headers and drops the body. */
START_TEST(test_head_writer_drops_body)
{
	for (int f = RSP_CGI; f <= RSP_H2; f++) {
		struct tu *t = tu_method("HEAD", (enum rsp_flavour)f);
		rsp_writer *w = t->res->writer;
		ck_ok(rsp_writer_write_content(w, "hello", 5));
		ck_ok(rsp_writer_write(w, "", 0));
		ck_ok(rsp_finish(t->res));
		if (f == RSP_NPH)
			ck_out(t,
			    "HTTP/1.1 200 OK\r\n" NPH_REQ
			    "Content-Length: 5\r\n\r\n");
		else if (f == RSP_CGI)
			ck_out(t,
			    "Status: 200 OK\r\nContent-Length: 5\r\n\r\n");
		else
			ck_out(t,
			    "Status: 200 OK\r\ncontent-length: 5\r\n\r\n");
		tu_free(t);
	}
	/* a file, through the writer, on HEAD */
	struct tu *t = tu_method("HEAD", RSP_NPH);
	int fd = tu_temp_file(70000, NULL);
	ck_ok(rsp_writer_write_header(t->res->writer, "Content-Length",
	    "70000"));
	ck_ok(rsp_writer_write_content_file(t->res->writer, fd));
	ck_assert(tu_fd_is_closed(fd));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "HTTP/1.1 200 OK\r\nContent-Length: 70000\r\n" NPH_REQ "\r\n");
	tu_free(t);
	/* unless asked for; raw stays raw */
	t = tu_method("HEAD", RSP_CGI);
	t->res->send_body_for_head_request = true;
	ck_ok(rsp_writer_write_content(t->res->writer, "hello", 5));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 5\r\n\r\nhello");
	tu_free(t);
	t = tu_method("HEAD", RSP_CGI);
	ck_ok(rsp_writer_write_raw(t->res->writer, "Status: 200 OK\r\n\r\nraw",
	    -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\n\r\nraw");
	tu_free(t);
}
END_TEST

/* Raw bytes close off the status and the header block. */
START_TEST(test_raw_closes_head)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_writer *w = t->res->writer;
	ck_ok(rsp_writer_write_status(w, 200, NULL));
	ck_ok(rsp_writer_write_raw(w, "RAW\r\n\r\nbody", -1));
	ck_refused_why(t, rsp_writer_write_header(w, "X-After", "1"),
	    RSP_ESTATE, "write_raw already wrote the head of the response");
	ck_refused(t, rsp_writer_write_status(w, 404, NULL), RSP_ESTATE);
	ck_refused(t, rsp_writer_end_headers(w), RSP_ESTATE);
	ck_refused(t, rsp_write_status_headers(t->res), RSP_ESTATE);
	/* body calls append */
	ck_ok(rsp_writer_write_content(w, "+", 1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nRAW\r\n\r\nbody+");
	tu_free(t);

	/* a raw status line, then a second status */
	t = tu_new(RSP_CGI);
	w = t->res->writer;
	ck_ok(rsp_writer_write_raw(w, "HTTP/1.1 202 Giraffe\r\n", -1));
	ck_refused(t, rsp_writer_write_status(w, 404, NULL), RSP_ESTATE);
	ck_refused(t, rsp_writer_write_header(w, "X-A", "1"), RSP_ESTATE);
	ck_ok(rsp_writer_write_raw(w, "\r\n", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 202 Giraffe\r\n\r\n");
	tu_free(t);
}
END_TEST

/* A status line split over several raw writes is still rewritten. */
START_TEST(test_raw_status_split)
{
	static const char *const cuts[][3] = {
		{ "HTTP/1.", "1 202 Giraffe\r\n\r\nx", NULL },
		{ "H", "TTP/1.1", " 202 Giraffe\r\n\r\nx" },
		{ "HTTP/1.1", " ", "202 Giraffe\r\n\r\nx" },
		{ "HTTP/1.1 ", "202 Giraffe\r\n\r\nx", NULL },
	};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		struct tu *t = tu_new(RSP_CGI);
		for (int k = 0; k < 3 && cuts[i][k]; k++)
			ck_ok(rsp_writer_write_raw(t->res->writer, cuts[i][k],
			    -1));
		ck_ok(rsp_finish(t->res));
		ck_out(t, "Status: 202 Giraffe\r\n\r\nx");
		tu_free(t);
	}
	/* a prefix that never becomes a status line goes out as it was */
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_raw(t->res->writer, "HTTP/1", -1));
	ck_ok(rsp_writer_write_raw(t->res->writer, "x", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "HTTP/1x");
	tu_free(t);
	t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_raw(t->res->writer, "HTTP", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "HTTP");
	tu_free(t);
	/* NPH: never rewritten, never held */
	t = tu_new(RSP_NPH);
	ck_ok(rsp_writer_write_raw(t->res->writer, "HTTP/1.", -1));
	ck_ok(rsp_writer_flush(t->res->writer));
	ck_out(t, "HTTP/1.");
	tu_free(t);
}
END_TEST

/* 204 carries no Content-Length; 205 announces no content; 304 may keep a
 * Content-Length (RFC 9110 8.6, 15.3.6) but never a body. */
START_TEST(test_bodiless_content_length)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_status(t->res, 204, NULL));
	ck_ok(rsp_headers_set(t->res->headers, "Content-Length", "5"));
	ck_refused_why(t, rsp_finish(t->res), RSP_EINVAL,
	    "Content-Length 5 on a 204 response");
	tu_free(t);

	t = tu_new(RSP_NPH);
	ck_ok(rsp_writer_write_status(t->res->writer, 204, NULL));
	ck_refused_why(t,
	    rsp_writer_write_header(t->res->writer, "Content-Length", "5"),
	    RSP_EINVAL, "Content-Length 5 on a 204 response");
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "HTTP/1.1 204 No Content\r\n" NPH_REQ "Connection: close\r\n\r\n");
	tu_free(t);

	/* 205: the content is dropped and Content-Length: 0 announced */
	for (int f = RSP_CGI; f <= RSP_NPH; f++) {
		t = tu_new((enum rsp_flavour)f);
		ck_ok(rsp_set_status(t->res, 205, NULL));
		ck_ok(rsp_set_content(t->res, "hello", 5));
		ck_ok(rsp_finish(t->res));
		if (f == RSP_CGI)
			ck_out(t,
			    "Status: 205 Reset Content\r\nContent-Length: 0\r\n\r\n");
		else
			ck_out(t,
			    "HTTP/1.1 205 Reset Content\r\n" NPH_REQ
			    "Content-Length: 0\r\n\r\n");
		tu_free(t);
	}
	t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_status(t->res->writer, 205, NULL));
	ck_refused(t, rsp_writer_write_content(t->res->writer, "x", 1),
	    RSP_ESTATE);
	ck_refused_why(t,
	    rsp_writer_write_header(t->res->writer, "Content-Length", "3"),
	    RSP_EINVAL,
	    "Content-Length 3 on a 205 response (only 0 is allowed)");
	ck_ok(rsp_writer_write_header(t->res->writer, "Content-Length", "0"));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 205 Reset Content\r\nContent-Length: 0\r\n\r\n");
	tu_free(t);

	/* 304 keeps the 200's Content-Length and sends no body */
	t = tu_new(RSP_CGI);
	ck_ok(rsp_set_status(t->res, 304, NULL));
	ck_ok(rsp_headers_set(t->res->headers, "Content-Length", "5"));
	ck_ok(rsp_set_content(t->res, "hello", 5));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 304 Not Modified\r\nContent-Length: 5\r\n\r\n");
	tu_free(t);
}
END_TEST

/* A file that shrinks under sendfile: RSP_EIO, and it sticks. */
START_TEST(test_short_sendfile_sticky)
{
	char out_path[] = "/tmp/rsp-out-XXXXXX";
	int out = mkstemp(out_path);
	ck_assert_int_ge(out, 0);
	unlink(out_path);
	rsp_response *res = rsp_response_new(NULL, rsp_sink_fd(out));
	int fd = tu_temp_file(100000, NULL);
	ck_ok(rsp_set_content_file(res, fd));
	ck_assert_int_eq(ftruncate(fd, 50000), 0);
	ck_rc(rsp_write(res), RSP_EIO);
	ck_assert_str_eq(rsp_response_errmsg(res),
	    "the file ended after 50000 of 100000 bytes");
	ck_rc(rsp_writer_write_content(res->writer, "x", 1), RSP_EIO);
	ck_rc(rsp_writer_write_raw(res->writer, "x", 1), RSP_EIO);
	ck_rc(rsp_finish(res), RSP_EIO);
	rsp_response_free(res);
	off_t end = lseek(out, 0, SEEK_END);
	ck_assert_int_eq(end,
	    (off_t)strlen("Status: 200 OK\r\n"
	                  "Content-Length: 100000\r\n\r\n") +
	        50000);
	close(out);
}
END_TEST

/* rsp_set_content_file owns the descriptor even when it refuses it. */
START_TEST(test_content_file_refused_closes)
{
	int fd = tu_temp_file(3, NULL);
	ck_rc(rsp_set_content_file(NULL, fd), RSP_EINVAL);
	ck_assert_msg(tu_fd_is_closed(fd), "descriptor left open");
	struct tu *t = tu_new(RSP_CGI);
	ck_refused_why(t, rsp_set_content_file(t->res, -1), RSP_EINVAL,
	    "negative descriptor");
	fd = tu_temp_file(3, NULL);
	close(fd);
	ck_refused_why(t, rsp_set_content_file(t->res, fd), RSP_EINVAL,
	    "fstat failed on the descriptor (it was closed)");
	tu_free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("writer");
	TCase *tc = tcase_create("writer");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_seed_writer_example, RSP_CGI, RSP_H2 + 1);
	tcase_add_loop_test(tc, test_write_content_fresh, RSP_CGI, RSP_H2 + 1);
	tcase_add_test(tc, test_write_content_no_required);
	tcase_add_test(tc, test_write_content_inferred_limit);
	tcase_add_test(tc, test_write_content_after_block);
	tcase_add_test(tc, test_write_content_large);
	tcase_add_loop_test(tc, test_write_status_headers_flavours, RSP_CGI,
	    RSP_H2 + 1);
	tcase_add_test(tc, test_header_writes_default_status);
	tcase_add_test(tc, test_nph_user_required_headers);
	tcase_add_test(tc, test_state_guards);
	tcase_add_test(tc, test_after_finish);
	tcase_add_test(tc, test_declared_length);
	tcase_add_test(tc, test_declared_length_short);
	tcase_add_test(tc, test_no_body_statuses);
	tcase_add_test(tc, test_write_text);
	tcase_add_test(tc, test_encoding_names);
	tcase_add_test(tc, test_write_latin1);
	tcase_add_test(tc, test_write_invalid_utf8);
	tcase_add_test(tc, test_encode);
	tcase_add_test(tc, test_write_utf16);
	tcase_add_loop_test(tc, test_write_raw_only, RSP_CGI, RSP_H2 + 1);
	tcase_add_test(tc, test_raw_status_rewrite_cgi);
	tcase_add_test(tc, test_raw_status_untouched);
	tcase_add_test(tc, test_write_content_file);
	tcase_add_test(tc, test_write_content_file_declared);
	tcase_add_test(tc, test_buffering_order);
	tcase_add_test(tc, test_flush);
	tcase_add_test(tc, test_head_writer_drops_body);
	tcase_add_test(tc, test_raw_closes_head);
	tcase_add_test(tc, test_raw_status_split);
	tcase_add_test(tc, test_bodiless_content_length);
	tcase_add_test(tc, test_short_sendfile_sticky);
	tcase_add_test(tc, test_content_file_refused_closes);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
