/* check_accesslog.c - the access-log record (status, header and body bytes
 * the sink took, client gone, refusal) and the exact lines of the Common,
 * Combined and JSON formats.  Calls the runner's internal entry points. */
#include "testutil.h"
#include "internal.h"

static struct rsp_access got;
static int calls;
static char uri_copy[256];

static void hook(const struct rsp_access *a, void *arg)
{
	ck_assert_ptr_eq(arg, &calls);
	got = *a;
	snprintf(uri_copy, sizeof(uri_copy), "%s", a->uri);
	got.uri = uri_copy;
	calls++;
}

static const struct rsp_options opts = { .access_log = hook,
	.access_arg = &calls };

START_TEST(counts_what_went_out)
{
	char *env[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/x?y=1",
		"SERVER_PROTOCOL=HTTP/1.1", "REMOTE_ADDR=127.0.0.1", NULL };
	struct rsp_buffer buf = { 0 };
	rsp_request *req = rsp_request_from_memory(env, NULL, 0);
	rsp_response *res = rsp_response_new(req, rsp_sink_buffer(&buf));
	calls = 0;
	struct rsp__access *acc = rsp__access_begin(&opts, req, res);
	ck_assert_ptr_nonnull(acc);
	ck_ok(rsp_set_content(res, "hello", 5));
	ck_ok(rsp_finish(res));
	rsp__access_end(acc, res);
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(got.status, 200);
	ck_assert_uint_eq(got.header_bytes + got.body_bytes, buf.len);
	ck_assert_uint_eq(got.body_bytes, 5);
	ck_assert_str_eq(got.uri, "/x?y=1");
	ck_assert(!got.client_gone);
	ck_assert_ptr_null(got.refused);
	rsp_response_free(res);
	rsp_request_free(req);
	rsp_buffer_free(&buf);
}
END_TEST

/* Without a hook nothing is measured and nothing is called. */
START_TEST(no_hook)
{
	struct rsp_options none = { 0 };
	calls = 0;
	ck_assert_ptr_null(rsp__access_begin(&none, NULL, NULL));
	ck_assert_ptr_null(rsp__access_begin(NULL, NULL, NULL));
	ck_assert_ptr_null(rsp__access_begin(&opts, NULL, NULL));
	rsp__access_end(NULL, NULL);
	ck_assert_int_eq(calls, 0);
}
END_TEST

static int fail_write(void *ctx, const void *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return RSP_EIO;
}

START_TEST(client_gone_and_refused)
{
	char *env[] = { "REQUEST_METHOD=POST", "CONTENT_LENGTH=abc", NULL };
	rsp_request *req = rsp_request_from_memory(env, NULL, 0);
	rsp_sink sink = { fail_write, NULL, NULL };
	rsp_response *res = rsp_response_new(req, sink);
	struct rsp__access *acc = rsp__access_begin(&opts, req, res);
	ck_ok(rsp_set_error(res, 400, "bad"));
	ck_rc(rsp_finish(res), RSP_EIO);
	rsp__access_end(acc, res);
	ck_assert(got.client_gone);
	ck_assert_uint_eq(got.header_bytes, 0);
	ck_assert_uint_eq(got.body_bytes, 0);
	ck_assert_int_eq(got.status, 400);
	ck_assert_str_eq(got.refused, "malformed request");
	ck_assert_str_eq(got.uri, "-");
	rsp_response_free(res);
	rsp_request_free(req);
}
END_TEST

static const struct rsp_access rec = {
	.remote_addr = "127.0.0.1",
	.remote_user = "-",
	.method = "GET",
	.uri = "/items/1?q=\"x\"",
	.protocol = "HTTP/1.1",
	.referer = "-",
	.user_agent = "curl/7.88.1",
	.status = 200,
	.header_bytes = 60,
	.body_bytes = 21,
	.start = { 1764670000, 123456789 },
	.duration_us = 250,
};

START_TEST(formats)
{
	struct rsp_buffer b = { 0 };
	ck_ok(rsp_access_log_format(&rec, RSP_LOG_COMMON, &b));
	ck_ok(rsp_access_log_format(&rec, RSP_LOG_COMBINED, &b));
	ck_ok(rsp_access_log_format(&rec, RSP_LOG_JSON, &b));
	ck_rc(rsp_access_log_format(&rec, (enum rsp_log_format)9, &b),
	    RSP_EINVAL);
	ck_rc(rsp_access_log_format(NULL, RSP_LOG_JSON, &b), RSP_EINVAL);
	const char *exp =
	    "127.0.0.1 - - [02/Dec/2025:10:06:40 +0000] \"GET /items/1?q=\\x22x\\x22 HTTP/1.1\" 200 21\n"
	    "127.0.0.1 - - [02/Dec/2025:10:06:40 +0000] \"GET /items/1?q=\\x22x\\x22 HTTP/1.1\" 200 21 \"-\" \"curl/7.88.1\"\n"
	    "{\"time\": \"2025-12-02T10:06:40.123456Z\", \"remote_addr\": \"127.0.0.1\", "
	    "\"remote_user\": \"-\", \"method\": \"GET\", \"uri\": \"/items/1?q=\\\"x\\\"\", "
	    "\"protocol\": \"HTTP/1.1\", \"status\": 200, \"header_bytes\": 60, \"body_bytes\": 21, "
	    "\"duration_us\": 250, \"client_gone\": false, \"refused\": null, \"referer\": \"-\", "
	    "\"user_agent\": \"curl/7.88.1\"}\n";
	char *m = tu_diff(b.data, b.len, exp, strlen(exp));
	ck_assert_msg(m == NULL, "%s", m ? m : "");
	rsp_buffer_free(&b);
}
END_TEST

START_TEST(hostile_fields)
{
	struct rsp_access a = rec;
	a.remote_user = "a b";
	a.user_agent = "x\n\x01\xff";
	a.body_bytes = 0;
	a.client_gone = true;
	a.refused = "a configured limit was exceeded";
	a.status = 413;
	struct rsp_buffer b = { 0 };
	ck_ok(rsp_access_log_format(&a, RSP_LOG_COMBINED, &b));
	const char *exp =
	    "127.0.0.1 - \"a b\" [02/Dec/2025:10:06:40 +0000] "
	    "\"GET /items/1?q=\\x22x\\x22 HTTP/1.1\" 413 - \"-\" \"x\\x0A\\x01\\xFF\"\n";
	char *m = tu_diff(b.data, b.len, exp, strlen(exp));
	ck_assert_msg(m == NULL, "%s", m ? m : "");
	b.len = 0;
	ck_ok(rsp_access_log_format(&a, RSP_LOG_JSON, &b));
	ck_ok(rsp_buffer_append(&b, "", 1)); /* a C string for strstr */
	ck_assert(
	    strstr(b.data,
	        "\"client_gone\": true, \"refused\": \"a configured limit was exceeded\"") !=
	    NULL);
	ck_assert(strstr(b.data, "\"user_agent\": \"x\\n\\u0001\\ufffd\"}\n") !=
	    NULL);
	rsp_buffer_free(&b);
}
END_TEST

START_TEST(writes_one_line)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	struct rsp_access_log log = { p[1], RSP_LOG_COMMON };
	rsp_access_log_write(&rec, &log);
	rsp_access_log_write(&rec, NULL);
	close(p[1]);
	char buf[512];
	ssize_t n = read(p[0], buf, sizeof(buf));
	close(p[0]);
	ck_assert_int_eq((int)n, 86);
	ck_assert(memcmp(buf, "127.0.0.1 - - [02/Dec/2025", 26) == 0 &&
	    buf[n - 1] == '\n');
}
END_TEST

int main(void)
{
	Suite *s = suite_create("accesslog");
	TCase *tc = tcase_create("accesslog");
	tcase_add_test(tc, counts_what_went_out);
	tcase_add_test(tc, no_hook);
	tcase_add_test(tc, client_gone_and_refused);
	tcase_add_test(tc, formats);
	tcase_add_test(tc, hostile_fields);
	tcase_add_test(tc, writes_one_line);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
