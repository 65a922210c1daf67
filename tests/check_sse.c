/* check_sse.c - Server-Sent Events framing (exact bytes, refusals, a client
 * that goes away) and redirects (301..308, Location checks, the CGI local
 * redirect). */
#include "testutil.h"

#define SSE_HEAD                                                \
	"Status: 200 OK\r\nContent-Type: text/event-stream\r\n" \
	"Cache-Control: no-store\r\nX-Accel-Buffering: no\r\n\r\n"

static const struct ev {
	const char *id, *event, *data;
	ssize_t len;
	const char *out;
} evs[] = {
	{ NULL, NULL, "tick 1", -1, "data: tick 1\n\n" },
	{ "1", NULL, "tick 1", -1, "id: 1\ndata: tick 1\n\n" },
	{ "7", "update", "x", -1, "id: 7\nevent: update\ndata: x\n\n" },
	{ NULL, "ping", NULL, 0, "event: ping\ndata: \n\n" },
	{ NULL, NULL, "", -1, "data: \n\n" },
	{ NULL, NULL, "a\nb", -1, "data: a\ndata: b\n\n" },
	{ NULL, NULL, "a\r\nb", -1, "data: a\ndata: b\n\n" },
	{ NULL, NULL, "a\rb", -1, "data: a\ndata: b\n\n" },
	{ NULL, NULL, "a\n\nb", -1, "data: a\ndata: \ndata: b\n\n" },
	{ NULL, NULL, "a\n", -1, "data: a\ndata: \n\n" },
	{ NULL, NULL, "\r\n", -1, "data: \ndata: \n\n" },
	{ NULL, NULL, "\n\r", -1, "data: \ndata: \ndata: \n\n" },
	{ NULL, NULL, "a\0b", 3, "data: a\0b\n\n" },
	{ "", "", "x", -1, "id: \nevent: \ndata: x\n\n" },
	{ "\xc3\xa9", NULL, "\xe2\x82\xac", -1,
	    "id: \xc3\xa9\ndata: \xe2\x82\xac\n\n" },
};

START_TEST(event_framing)
{
	const struct ev *e = &evs[_i];
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_sse_start(t->res));
	size_t head = t->buf.len;
	ck_assert_uint_eq(head, sizeof(SSE_HEAD) - 1);
	ck_ok(rsp_sse_event(t->res, e->id, e->event, e->data, e->len));
	size_t olen = e->len == 3 ? 11 : strlen(e->out); /* the NUL case */
	/* flushed at once: the bytes are in the sink before finish */
	char *m = tu_diff(t->buf.data + head, t->buf.len - head, e->out, olen);
	ck_assert_msg(m == NULL, "%s", m ? m : "");
	ck_ok(rsp_finish(t->res));
	tu_free(t);
}
END_TEST

START_TEST(stream_whole)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_rc(rsp_sse_event(t->res, "1", NULL, "x", -1), RSP_ESTATE);
	ck_rc(rsp_sse_retry(t->res, 10), RSP_ESTATE);
	ck_rc(rsp_sse_comment(t->res, "hb"), RSP_ESTATE);
	ck_ok(rsp_set_content(t->res, "dropped", -1));
	ck_ok(rsp_sse_start(t->res));
	ck_rc(rsp_sse_start(t->res), RSP_ESTATE);
	ck_ok(rsp_sse_retry(t->res, 2500));
	ck_ok(rsp_sse_comment(t->res, "heartbeat"));
	ck_ok(rsp_sse_comment(t->res, NULL));
	ck_ok(rsp_sse_event(t->res, "1", NULL, "tick 1", -1));
	ck_rc(rsp_sse_event(t->res, "1\n", NULL, "x", -1), RSP_EINVAL);
	ck_rc(rsp_sse_event(t->res, "1\r", NULL, "x", -1), RSP_EINVAL);
	ck_rc(rsp_sse_event(t->res, NULL, "a\nb", "x", -1), RSP_EINVAL);
	ck_rc(rsp_sse_event(t->res, NULL, "a\rb", "x", -1), RSP_EINVAL);
	ck_rc(rsp_sse_comment(t->res, "a\nb"), RSP_EINVAL);
	ck_rc(rsp_sse_event(t->res, NULL, NULL, NULL, 4), RSP_EINVAL);
	ck_rc(rsp_sse_event(NULL, NULL, NULL, "x", -1), RSP_EINVAL);
	ck_ok(rsp_finish(t->res));
	ck_rc(rsp_sse_event(t->res, "2", NULL, "x", -1), RSP_ESTATE);
	ck_out(t,
	    SSE_HEAD "retry: 2500\n\n:heartbeat\n:\nid: 1\ndata: tick 1\n\n");
	tu_free(t);
}
END_TEST

START_TEST(status_and_head)
{
	struct tu *t = tu_method("HEAD", RSP_CGI);
	ck_ok(rsp_set_status(t->res, 201, NULL));
	ck_ok(rsp_sse_start(t->res));
	ck_ok(rsp_sse_event(t->res, "1", NULL, "x", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 201 Created\r\nContent-Type: text/event-stream\r\n"
	    "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\n\r\n");
	tu_free(t);
	t = tu_new(RSP_CGI);
	ck_ok(rsp_set_status(t->res, 204, NULL));
	ck_rc(rsp_sse_start(t->res), RSP_ESTATE);
	tu_free(t);
	t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_status(t->res->writer, 200, NULL));
	ck_rc(rsp_sse_start(t->res), RSP_ESTATE);
	tu_free(t);
}
END_TEST

/* A sink that fails after `ok` writes, as a vanished client does. */
struct flaky {
	int ok;
	struct rsp_buffer buf;
};
static int flaky_write(void *ctx, const void *data, size_t len)
{
	struct flaky *f = ctx;
	if (f->ok-- <= 0)
		return RSP_EIO;
	return rsp_buffer_append(&f->buf, data, (ssize_t)len);
}

START_TEST(client_gone)
{
	struct flaky f = { 2, { 0 } };
	rsp_sink sink = { flaky_write, NULL, &f };
	rsp_response *res = rsp_response_new(NULL, sink);
	ck_ok(rsp_sse_start(res));
	ck_ok(rsp_sse_event(res, "1", NULL, "a", -1));
	ck_rc(rsp_sse_event(res, "2", NULL, "b", -1), RSP_EIO);
	ck_rc(rsp_sse_event(res, "3", NULL, "c", -1), RSP_EIO);
	ck_rc(rsp_sse_comment(res, "x"), RSP_EIO);
	ck_rc(rsp_sse_retry(res, 1), RSP_EIO);
	rsp_finish(res);
	rsp_response_free(res);
	rsp_buffer_free(&f.buf);
}
END_TEST

/* Through a pipe whose reader closed: EPIPE is RSP_EIO, never a signal. */
START_TEST(client_gone_pipe)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	rsp_response *res = rsp_response_new(NULL, rsp_sink_fd(p[1]));
	ck_ok(rsp_sse_start(res));
	close(p[0]);
	ck_rc(rsp_sse_event(res, "1", NULL, "a", -1), RSP_EIO);
	rsp_finish(res);
	rsp_response_free(res);
	close(p[1]);
}
END_TEST

/* ---- redirects ------------------------------------------------------------- */

static const struct redir {
	int code;
	const char *loc;
	int rc;
} redirs[] = {
	{ 301, "https://example.org/a?b=c#d", RSP_OK },
	{ 302, "/relative/path", RSP_OK },
	{ 303, "other?x=%41", RSP_OK },
	{ 307, "//host.example/p", RSP_OK },
	{ 308, "../up", RSP_OK },
	{ 300, "/a", RSP_EINVAL },
	{ 304, "/a", RSP_EINVAL },
	{ 200, "/a", RSP_EINVAL },
	{ 302, "", RSP_EINVAL },
	{ 302, "/a\r\nSet-Cookie: x=1", RSP_EINVAL },
	{ 302, "/a\n", RSP_EINVAL },
	{ 302, "/a b", RSP_EINVAL },
	{ 302, "/a\tb", RSP_EINVAL },
	{ 302, "/a\x7f", RSP_EINVAL },
	{ 302, "/\xc3\xa9", RSP_EINVAL },
	{ 302, "/a%4", RSP_EINVAL },
	{ 302, "/a%zz", RSP_EINVAL },
	{ 302, "/a\\b", RSP_EINVAL },
	{ 302, "/<script>", RSP_EINVAL },
	{ 302, "/a\"b", RSP_EINVAL },
};

START_TEST(redirect_codes)
{
	const struct redir *d = &redirs[_i];
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_headers_set(t->res->headers, "X-Keep", "1"));
	ck_rc(rsp_redirect(t->res, d->code, d->loc), d->rc);
	ck_ok(rsp_finish(t->res));
	if (d->rc == RSP_OK) {
		char *exp = tu_strdupf(
		    "Status: %d %s\r\nX-Keep: 1\r\nLocation: %s\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n\r\n"
		    "Redirecting to %s\n",
		    d->code, rsp_status_reason(d->code), d->loc,
		    strlen(d->loc) + 16, d->loc);
		ck_out_s(t, exp);
		free(exp);
	} else {
		ck_out(t, "Status: 200 OK\r\nX-Keep: 1\r\n\r\n");
	}
	tu_free(t);
}
END_TEST

START_TEST(redirect_head)
{
	struct tu *t = tu_method("HEAD", RSP_CGI);
	ck_ok(rsp_redirect(t->res, 308, "/new"));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 308 Permanent Redirect\r\nLocation: /new\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 20\r\n\r\n");
	tu_free(t);
	ck_rc(rsp_redirect(NULL, 302, "/"), RSP_EINVAL);
	t = tu_new(RSP_CGI);
	ck_rc(rsp_redirect(t->res, 302, NULL), RSP_EINVAL);
	tu_free(t);
}
END_TEST

START_TEST(local_redirect)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_rc(rsp_cgi_local_redirect(t->res, "relative"), RSP_EINVAL);
	ck_rc(rsp_cgi_local_redirect(t->res, "//host/x"), RSP_EINVAL);
	ck_rc(rsp_cgi_local_redirect(t->res, "/a#frag"), RSP_EINVAL);
	ck_rc(rsp_cgi_local_redirect(t->res, "/a\nb"), RSP_EINVAL);
	ck_rc(rsp_cgi_local_redirect(t->res, NULL), RSP_EINVAL);
	ck_ok(rsp_cgi_local_redirect(t->res, "/other/page?x=1"));
	ck_rc(rsp_cgi_local_redirect(t->res, "/again"), RSP_ESTATE);
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Location: /other/page?x=1\r\n\r\n");
	tu_free(t);
	t = tu_new(RSP_NPH);
	ck_rc(rsp_cgi_local_redirect(t->res, "/x"), RSP_ESTATE);
	tu_free(t);
}
END_TEST

int main(void)
{
	signal(SIGPIPE, SIG_DFL);
	Suite *s = suite_create("sse");
	TCase *tc = tcase_create("sse");
	tcase_add_loop_test(tc, event_framing, 0,
	    (int)(sizeof(evs) / sizeof(evs[0])));
	tcase_add_test(tc, stream_whole);
	tcase_add_test(tc, status_and_head);
	tcase_add_test(tc, client_gone);
	tcase_add_test(tc, client_gone_pipe);
	suite_add_tcase(s, tc);
	tc = tcase_create("redirect");
	tcase_add_loop_test(tc, redirect_codes, 0,
	    (int)(sizeof(redirs) / sizeof(redirs[0])));
	tcase_add_test(tc, redirect_head);
	tcase_add_test(tc, local_redirect);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
