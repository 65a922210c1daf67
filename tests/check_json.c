/* check_json.c - rsp_json_string (Python json.dumps escaping, U+FFFD for
 * invalid UTF-8) and rsp_set_error: exact status, headers, body, logging. */
#include "testutil.h"

struct json_case {
	const char *in;
	size_t len;
	const char *out;
};

/* Inputs and the bytes Python's json.dumps(s.decode("utf-8", "replace"))
 * gives for them. */
static const struct json_case json_cases[] = {
	{ "", 0, "\"\"" },
	{ "hello", 5, "\"hello\"" },
	{ "\"", 1, "\"\\\"\"" },
	{ "\\", 1, "\"\\\\\"" },
	{ "/", 1, "\"/\"" },
	{ "\x08\x0c\x0a\x0d\x09", 5, "\"\\b\\f\\n\\r\\t\"" },
	{ "\x00", 1, "\"\\u0000\"" },
	{ "\x01", 1, "\"\\u0001\"" },
	{ "\x1f", 1, "\"\\u001f\"" },
	{ "\x7f", 1, "\"\\u007f\"" },
	{ "a\x00"
	  "b",
	    3, "\"a\\u0000b\"" },
	{ "\xc3\xa9", 2, "\"\\u00e9\"" },
	{ "\xe2\x82\xac", 3, "\"\\u20ac\"" },
	{ "\xf0\x9f\x98\x80", 4, "\"\\ud83d\\ude00\"" },
	{ "\xef\xbf\xbf", 3, "\"\\uffff\"" },
	{ "\xf4\x8f\xbf\xbf", 4, "\"\\udbff\\udfff\"" },
	{ "\xe2\x80\xa8\xe2\x80\xa9", 6, "\"\\u2028\\u2029\"" },
	{ "<script>&amp;</script>", 22, "\"<script>&amp;</script>\"" },
	{ "say \"hi\" \\ \x01\x1f\x0a", 14,
	    "\"say \\\"hi\\\" \\\\ \\u0001\\u001f\\n\"" },
	{ "\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"" },
	{ "\xc0\xaf", 2, "\"\\ufffd\\ufffd\"" },
	{ "\xe2\x82", 2, "\"\\ufffd\"" },
	{ "\xf4\x90\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
	{ "\xff\xfe", 2, "\"\\ufffd\\ufffd\"" },
	{ "caf\xc3", 4, "\"caf\\ufffd\"" },
	{ "\xe2\x82"
	  "A",
	    3, "\"\\ufffdA\"" },
	{ "\x80", 1, "\"\\ufffd\"" },
	{ "\xf0\x9f\x98x", 4, "\"\\ufffdx\"" },
	{ "\xe0\x80\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"" },
	{ "\xf0\x80\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
	{ "\xc3", 1, "\"\\ufffd\"" },
	{ "\xf8\x88\x80\x80\x80", 5,
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"" },
	{ "\xc2"
	  "A",
	    2, "\"\\ufffdA\"" },
	{ "\xed\xbf\xbf", 3, "\"\\ufffd\\ufffd\\ufffd\"" },
	{ "\xef\xbf\xbe", 3, "\"\\ufffe\"" },
	{ "\xf0\x90\x80\x80", 4, "\"\\ud800\\udc00\"" },
	{ "a\xe2\x82\xac"
	  "b\xe2\x82"
	  "c",
	    8, "\"a\\u20acb\\ufffdc\"" },
	{ "\xf1\x80\x80\xe1\x80\xc2", 6, "\"\\ufffd\\ufffd\\ufffd\"" },
	{ " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
	    95,
	    "\" !\\\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\"" },
};
#define N_JSON_CASES (sizeof json_cases / sizeof json_cases[0])

START_TEST(test_json_string_cases)
{
	for (size_t i = 0; i < N_JSON_CASES; i++) {
		struct rsp_buffer b = { 0 };
		int rc = rsp_json_string(&b, json_cases[i].in,
		    (ssize_t)json_cases[i].len);
		ck_assert_msg(rc == RSP_OK, "case %zu: %s", i,
		    rsp_strerror(rc));
		ck_bytes(b.data, b.len, json_cases[i].out,
		    strlen(json_cases[i].out));
		rsp_buffer_free(&b);
	}
}
END_TEST

/* len < 0 means NUL-terminated; the output is appended. */
START_TEST(test_json_string_append)
{
	struct rsp_buffer b = { 0 };
	ck_ok(rsp_json_string(&b, "a\"b", -1));
	ck_ok(rsp_json_string(&b, "\xc3\xa9xyz", 2));
	ck_ok(rsp_json_string(&b, "", -1));
	ck_bytes(b.data, b.len, "\"a\\\"b\"\"\\u00e9\"\"\"", 16);
	rsp_buffer_free(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

/* Every single byte on its own, against Python's rules. */
START_TEST(test_json_string_every_byte)
{
	for (int c = 0; c < 256; c++) {
		unsigned char in = (unsigned char)c;
		char exp[16];
		if (c == '"')
			strcpy(exp, "\"\\\"\"");
		else if (c == '\\')
			strcpy(exp, "\"\\\\\"");
		else if (c == '\b')
			strcpy(exp, "\"\\b\"");
		else if (c == '\f')
			strcpy(exp, "\"\\f\"");
		else if (c == '\n')
			strcpy(exp, "\"\\n\"");
		else if (c == '\r')
			strcpy(exp, "\"\\r\"");
		else if (c == '\t')
			strcpy(exp, "\"\\t\"");
		else if (c < 0x20 || c == 0x7f)
			snprintf(exp, sizeof exp, "\"\\u%04x\"", c);
		else if (c < 0x80)
			snprintf(exp, sizeof exp, "\"%c\"", c);
		else
			strcpy(exp, "\"\\ufffd\"");
		struct rsp_buffer b = { 0 };
		ck_ok(rsp_json_string(&b, &in, 1));
		ck_bytes(b.data, b.len, exp, strlen(exp));
		rsp_buffer_free(&b);
	}
}
END_TEST

/* ---- rsp_set_error --------------------------------------------------- */

START_TEST(test_set_error_flavours)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_set_error(t->res, 404, "Not here"));
	ck_ok(rsp_finish(t->res));
	if (f == RSP_CGI)
		ck_out(t,
		    "Status: 404 Not Found\r\n"
		    "Content-Type: application/json\r\nContent-Length: 47\r\n\r\n"
		    "{\"error\": {\"code\": 404, \"message\": \"Not here\"}}");
	else if (f == RSP_NPH)
		ck_out(t,
		    "HTTP/1.1 404 Not Found\r\n"
		    "Content-Type: application/json\r\nContent-Length: 47\r\n" NPH_REQ
		    "\r\n"
		    "{\"error\": {\"code\": 404, \"message\": \"Not here\"}}");
	else
		ck_out(t,
		    "Status: 404 Not Found\r\n"
		    "content-type: application/json\r\ncontent-length: 47\r\n\r\n"
		    "{\"error\": {\"code\": 404, \"message\": \"Not here\"}}");
	ck_assert(!t->res->close_connection);
	tu_free(t);
}
END_TEST

START_TEST(test_set_error_null_message)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_error(t->res, 404, NULL));
	ck_assert_str_eq(rsp_headers_get(t->res->headers, "Content-Length"),
	    "39");
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 404 Not Found\r\n"
	    "Content-Type: application/json\r\nContent-Length: 39\r\n\r\n"
	    "{\"error\": {\"code\": 404, \"message\": \"\"}}");
	tu_free(t);
}
END_TEST

/* Headers (cookies included) and content are replaced; later edits allowed. */
START_TEST(test_set_error_replaces)
{
	struct tu_stderr cap;
	tu_stderr_begin(&cap);
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_headers_set(t->res->headers, "X-Old", "1"));
	ck_ok(rsp_headers_set(t->res->headers, "Content-Type", "text/html"));
	ck_ok(rsp_set_cookie(t->res, "sid", "1", NULL));
	ck_ok(rsp_set_status(t->res, 201, "Made"));
	ck_ok(rsp_set_content(t->res, "old content", -1));
	ck_ok(rsp_set_error(t->res, 503, "Test error"));
	free(tu_stderr_end(&cap));
	const char *msg = NULL;
	ck_assert_int_eq(rsp_status(t->res, &msg), 503);
	ck_assert_msg(msg == NULL || strcmp(msg, "Service Unavailable") == 0,
	    "message %s", msg);
	char *d = tu_headers_dump(t->res->headers);
	ck_assert_str_eq(d,
	    "Content-Type: application/json\n"
	    "Content-Length: 49\n");
	free(d);
	ck_ok(rsp_headers_set(t->res->headers, "X-New", "2"));
	ck_ok(rsp_headers_set(t->res->headers, "Cache-Control", "no-store"));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 503 Service Unavailable\r\n"
	    "Content-Type: application/json\r\nContent-Length: 49\r\n"
	    "X-New: 2\r\nCache-Control: no-store\r\n\r\n"
	    "{\"error\": {\"code\": 503, \"message\": \"Test error\"}}");
	tu_free(t);
}
END_TEST

/* A second set_error replaces the first. */
START_TEST(test_set_error_twice)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_error(t->res, 400, "first"));
	ck_ok(rsp_set_error(t->res, 404, NULL));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 404 Not Found\r\n"
	    "Content-Type: application/json\r\nContent-Length: 39\r\n\r\n"
	    "{\"error\": {\"code\": 404, \"message\": \"\"}}");
	tu_free(t);
}
END_TEST

/* Every json_cases message (those without NUL) through set_error. */
START_TEST(test_set_error_escaping)
{
	for (size_t i = 0; i < N_JSON_CASES; i++) {
		if (memchr(json_cases[i].in, 0, json_cases[i].len))
			continue;
		struct tu *t = tu_new(RSP_CGI);
		char *msg = strndup(json_cases[i].in, json_cases[i].len);
		ck_ok(rsp_set_error(t->res, 400, msg));
		free(msg);
		ck_ok(rsp_finish(t->res));
		char *body =
		    tu_strdupf("{\"error\": {\"code\": 400, \"message\": "
		               "%s}}",
		        json_cases[i].out);
		char *exp = tu_strdupf(
		    "Status: 400 Bad Request\r\n"
		    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		    "\r\n%s",
		    strlen(body), body);
		ck_out_s(t, exp);
		free(body);
		free(exp);
		tu_free(t);
	}
}
END_TEST

START_TEST(test_set_error_mixed_message)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_error(t->res, 400,
	    "bad \"q\" \\ \x01\x1f\n caf\xc3\xa9 "
	    "\xf0\x9f\x98\x80 \xed\xa0\x80|\xc0\xaf|\xe2\x82"));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 400 Bad Request\r\n"
	    "Content-Type: application/json\r\nContent-Length: 128\r\n\r\n"
	    "{\"error\": {\"code\": 400, \"message\": \"bad \\\"q\\\" \\\\ "
	    "\\u0001\\u001f\\n caf\\u00e9 \\ud83d\\ude00 "
	    "\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd|\\ufffd\"}}");
	tu_free(t);
}
END_TEST

/* A long message: the body is exact and Content-Length is its size. */
START_TEST(test_set_error_long_message)
{
	size_t n = 70000;
	char *msg = malloc(n + 1);
	memset(msg, 'm', n);
	msg[n] = 0;
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_error(t->res, 404, msg));
	ck_ok(rsp_finish(t->res));
	char *body = tu_strdupf("{\"error\": {\"code\": 404, \"message\": "
	                        "\"%s\"}}",
	    msg);
	char *exp = tu_strdupf(
	    "Status: 404 Not Found\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
	    strlen(body), body);
	ck_out_s(t, exp);
	free(msg);
	free(body);
	free(exp);
	tu_free(t);
}
END_TEST

/* Reason phrases come from the table; an unknown code keeps the space. */
START_TEST(test_set_error_reasons)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_error(t->res, 418, "x"));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 418 \r\nContent-Type: application/json\r\n"
	    "Content-Length: 40\r\n\r\n"
	    "{\"error\": {\"code\": 418, \"message\": \"x\"}}");
	tu_free(t);

	t = tu_new(RSP_CGI);
	ck_ok(rsp_set_error(t->res, 200, "fine"));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 200 OK\r\nContent-Type: application/json\r\n"
	    "Content-Length: 43\r\n\r\n"
	    "{\"error\": {\"code\": 200, \"message\": \"fine\"}}");
	tu_free(t);
}
END_TEST

START_TEST(test_set_error_refused)
{
	static const int codes[] = { 0, 99, 100, 199, 1000, -1, 1001 };
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		struct tu *t = tu_new(RSP_CGI);
		ck_ok(rsp_headers_set(t->res->headers, "X-A", "1"));
		ck_ok(rsp_set_status(t->res, 201, NULL));
		ck_ok(rsp_set_content(t->res, "kept", -1));
		ck_refused(t, rsp_set_error(t->res, codes[i], "x"), RSP_EINVAL);
		ck_refused(t, rsp_set_error(t->res, codes[i], NULL),
		    RSP_EINVAL);
		ck_ok(rsp_finish(t->res));
		ck_out(t,
		    "Status: 201 Created\r\nX-A: 1\r\n"
		    "Content-Length: 4\r\n\r\nkept");
		tu_free(t);
	}
}
END_TEST

/* 5xx errors log "respond: <code> <message>\n" to stderr; others do not. */
START_TEST(test_set_error_logging)
{
	static const struct {
		int code;
		const char *msg;
		const char *log;
	} cases[] = {
		{ 500, "boom", "respond: 500 boom\n" },
		{ 599, "x", "respond: 599 x\n" },
		{ 503, NULL, "respond: 503 \n" },
		{ 404, "quiet", "" },
		{ 499, "quiet", "" },
		{ 600, "quiet", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tu_stderr cap;
		tu_stderr_begin(&cap);
		struct tu *t = tu_new(RSP_CGI);
		int rc1 = rsp_set_error(t->res, cases[i].code, cases[i].msg);
		int rc2 = rsp_finish(t->res);
		tu_free(t);
		char *log = tu_stderr_end(&cap);
		ck_assert_int_eq(rc1, RSP_OK);
		ck_assert_int_eq(rc2, RSP_OK);
		ck_bytes(log, strlen(log), cases[i].log, strlen(cases[i].log));
		free(log);
	}
}
END_TEST

/* HEAD: the error's headers, no body. */
START_TEST(test_set_error_head)
{
	struct tu *t = tu_method("HEAD", RSP_CGI);
	ck_ok(rsp_set_error(t->res, 404, NULL));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 404 Not Found\r\n"
	    "Content-Type: application/json\r\nContent-Length: 39\r\n\r\n");
	tu_free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json_string");
	tcase_add_test(tc, test_json_string_cases);
	tcase_add_test(tc, test_json_string_append);
	tcase_add_test(tc, test_json_string_every_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("set_error");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_set_error_flavours, RSP_CGI, RSP_H2 + 1);
	tcase_add_test(tc, test_set_error_null_message);
	tcase_add_test(tc, test_set_error_replaces);
	tcase_add_test(tc, test_set_error_twice);
	tcase_add_test(tc, test_set_error_escaping);
	tcase_add_test(tc, test_set_error_mixed_message);
	tcase_add_test(tc, test_set_error_long_message);
	tcase_add_test(tc, test_set_error_reasons);
	tcase_add_test(tc, test_set_error_refused);
	tcase_add_test(tc, test_set_error_logging);
	tcase_add_test(tc, test_set_error_head);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
