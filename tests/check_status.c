/* check_status.c - the status table (rsp_status_reason), rsp_strerror, and
 * status codes/reason phrases through rsp_set_status and the writer, in every flavour. */
#include "testutil.h"

struct reason_row {
	int code;
	const char *reason;
};

/* The reason phrases of wptserve, the model of the response API. */
static const struct reason_row reference_table[] = {
	{ 100, "Continue" },
	{ 101, "Switching Protocols" },
	{ 200, "OK" },
	{ 201, "Created" },
	{ 202, "Accepted" },
	{ 203, "Non-Authoritative Information" },
	{ 204, "No Content" },
	{ 205, "Reset Content" },
	{ 206, "Partial Content" },
	{ 300, "Multiple Choices" },
	{ 301, "Moved Permanently" },
	{ 302, "Found" },
	{ 303, "See Other" },
	{ 304, "Not Modified" },
	{ 305, "Use Proxy" },
	{ 307, "Temporary Redirect" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 402, "Payment Required" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 406, "Not Acceptable" },
	{ 407, "Proxy Authentication Required" },
	{ 408, "Request Timeout" },
	{ 409, "Conflict" },
	{ 410, "Gone" },
	{ 411, "Length Required" },
	{ 412, "Precondition Failed" },
	{ 413, "Request Entity Too Large" },
	{ 414, "Request-URI Too Long" },
	{ 415, "Unsupported Media Type" },
	{ 416, "Requested Range Not Satisfiable" },
	{ 417, "Expectation Failed" },
	{ 500, "Internal Server Error" },
	{ 501, "Not Implemented" },
	{ 502, "Bad Gateway" },
	{ 503, "Service Unavailable" },
	{ 504, "Gateway Timeout" },
	{ 505, "HTTP Version Not Supported" },
};

/* IANA's registry for codes the reference lacks (DESIGN.md 11). */
static const struct reason_row iana_table[] = {
	{ 102, "Processing" },
	{ 103, "Early Hints" },
	{ 207, "Multi-Status" },
	{ 208, "Already Reported" },
	{ 226, "IM Used" },
	{ 308, "Permanent Redirect" },
	{ 421, "Misdirected Request" },
	{ 422, "Unprocessable Content" },
	{ 423, "Locked" },
	{ 424, "Failed Dependency" },
	{ 425, "Too Early" },
	{ 426, "Upgrade Required" },
	{ 428, "Precondition Required" },
	{ 429, "Too Many Requests" },
	{ 431, "Request Header Fields Too Large" },
	{ 451, "Unavailable For Legal Reasons" },
	{ 506, "Variant Also Negotiates" },
	{ 507, "Insufficient Storage" },
	{ 508, "Loop Detected" },
	{ 511, "Network Authentication Required" },
};

START_TEST(test_reason_reference_table)
{
	size_t n = sizeof reference_table / sizeof reference_table[0];
	ck_assert_uint_eq(n, 40);
	for (size_t i = 0; i < n; i++) {
		const char *r = rsp_status_reason(reference_table[i].code);
		ck_assert_msg(r != NULL, "%d: NULL", reference_table[i].code);
		ck_assert_msg(strcmp(r, reference_table[i].reason) == 0,
		    "rsp_status_reason(%d) = \"%s\", expected \"%s\"",
		    reference_table[i].code, r, reference_table[i].reason);
	}
}
END_TEST

START_TEST(test_reason_iana)
{
	for (size_t i = 0; i < sizeof iana_table / sizeof iana_table[0]; i++) {
		const char *r = rsp_status_reason(iana_table[i].code);
		ck_assert_msg(r != NULL, "%d: NULL", iana_table[i].code);
		ck_assert_msg(strcmp(r, iana_table[i].reason) == 0,
		    "rsp_status_reason(%d) = \"%s\", expected \"%s\"",
		    iana_table[i].code, r, iana_table[i].reason);
	}
}
END_TEST

START_TEST(test_reason_empty)
{
	static const int codes[] = { 306, 418, 299, 499, 599, 600, 999, 0, -1,
		1000, 99 };
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		const char *r = rsp_status_reason(codes[i]);
		ck_assert_msg(r != NULL && r[0] == 0,
		    "rsp_status_reason(%d) = \"%s\", expected \"\"", codes[i],
		    r ? r : "(null)");
	}
	ck_assert_str_eq(rsp_status_reason(404), "Not Found");
	ck_assert_str_eq(rsp_status_reason(308), "Permanent Redirect");
	ck_assert_str_eq(rsp_status_reason(418), "");
}
END_TEST

START_TEST(test_strerror)
{
	static const int codes[] = { RSP_OK, RSP_EINVAL, RSP_ESTATE, RSP_EIO,
		RSP_ENOMEM, RSP_ELIMIT, RSP_EBADREQ, RSP_ECHARSET,
		RSP_ECALLBACK };
	size_t n = sizeof codes / sizeof codes[0];
	ck_assert_int_eq(RSP_OK, 0);
	ck_assert_int_eq(RSP_EINVAL, -1);
	ck_assert_int_eq(RSP_ESTATE, -2);
	ck_assert_int_eq(RSP_EIO, -3);
	ck_assert_int_eq(RSP_ENOMEM, -4);
	ck_assert_int_eq(RSP_ELIMIT, -5);
	ck_assert_int_eq(RSP_EBADREQ, -6);
	ck_assert_int_eq(RSP_ECHARSET, -7);
	ck_assert_int_eq(RSP_ECALLBACK, -8);
	for (size_t i = 0; i < n; i++) {
		const char *a = rsp_strerror(codes[i]);
		ck_assert_msg(a != NULL && a[0] != 0, "rsp_strerror(%d)",
		    codes[i]);
		for (size_t j = 0; j < i; j++)
			ck_assert_msg(strcmp(a, rsp_strerror(codes[j])) != 0,
			    "rsp_strerror(%d) == rsp_strerror(%d)", codes[i],
			    codes[j]);
	}
	ck_assert_ptr_nonnull(rsp_strerror(-99));
	ck_assert_ptr_nonnull(rsp_strerror(5));
}
END_TEST

/* ---- rsp_set_status / rsp_status ----------------------------------- */

START_TEST(test_status_default)
{
	struct tu *t = tu_new(RSP_CGI);
	const char *msg = "unset";
	ck_assert_int_eq(rsp_status(t->res, &msg), 200);
	ck_assert_msg(msg == NULL || strcmp(msg, "OK") == 0,
	    "default message %s", msg);
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\n\r\n");
	tu_free(t);
}
END_TEST

START_TEST(test_status_set_and_read)
{
	struct tu *t = tu_new(RSP_CGI);
	const char *msg = NULL;
	ck_ok(rsp_set_status(t->res, 404, NULL));
	ck_assert_int_eq(rsp_status(t->res, &msg), 404);
	ck_assert_msg(msg == NULL || strcmp(msg, "Not Found") == 0,
	    "message %s", msg);
	ck_ok(rsp_set_status(t->res, 202, "Some Status"));
	ck_assert_int_eq(rsp_status(t->res, &msg), 202);
	ck_assert_str_eq(msg, "Some Status");
	ck_ok(rsp_set_status(t->res, 200, "None"));
	ck_assert_int_eq(rsp_status(t->res, &msg), 200);
	ck_assert_str_eq(msg, "None");
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 None\r\n\r\n");
	tu_free(t);
}
END_TEST

/* The status message is copied: the caller may reuse its buffer at once. */
START_TEST(test_status_message_copied)
{
	struct tu *t = tu_new(RSP_CGI);
	char buf[32];
	strcpy(buf, "Giraffe");
	ck_ok(rsp_set_status(t->res, 202, buf));
	strcpy(buf, "XXXXXXX");
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 202 Giraffe\r\n\r\n");
	tu_free(t);
}
END_TEST

/* Table phrase, unknown code with the reference's trailing space, per flavour. */
START_TEST(test_status_lines_flavours)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	static const struct {
		int code;
		const char *msg;
		const char *line;
	} cases[] = {
		{ 404, NULL, "404 Not Found" },
		{ 308, NULL, "308 Permanent Redirect" },
		{ 418, NULL, "418 " },
		{ 599, NULL, "599 " },
		{ 999, NULL, "999 " },
		{ 200, "", "200 " },
		{ 202, "Some Status", "202 Some Status" },
		{ 500, "tab\there and caf\xc3\xa9",
		    "500 tab\there and caf\xc3\xa9" },
		{ 413, NULL, "413 Request Entity Too Large" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tu *t = tu_new(f);
		ck_ok(rsp_set_status(t->res, cases[i].code, cases[i].msg));
		ck_ok(rsp_finish(t->res));
		char *exp;
		if (f == RSP_NPH)
			exp = tu_strdupf("HTTP/1.1 %s\r\n" NPH_REQ
			                 "Connection: close\r\n\r\n",
			    cases[i].line);
		else
			exp = tu_strdupf("Status: %s\r\n\r\n", cases[i].line);
		ck_out_s(t, exp);
		ck_assert(t->res->close_connection);
		free(exp);
		tu_free(t);
	}
}
END_TEST

/* Accepted codes, including the edges 200 and 999, through both calls. */
START_TEST(test_status_accepted_codes)
{
	static const int codes[] = { 200, 201, 299, 300, 599, 600, 999 };
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		struct tu *t = tu_new(RSP_CGI);
		const char *msg;
		ck_ok(rsp_set_status(t->res, codes[i], "X"));
		ck_assert_int_eq(rsp_status(t->res, &msg), codes[i]);
		tu_free(t);

		t = tu_new(RSP_CGI);
		ck_ok(rsp_writer_write_status(t->res->writer, codes[i], "X"));
		ck_ok(rsp_writer_flush(t->res->writer));
		char *exp = tu_strdupf("Status: %d X\r\n", codes[i]);
		ck_out_s(t, exp);
		ck_assert_int_eq(rsp_status(t->res, &msg), codes[i]);
		ck_assert_str_eq(msg, "X");
		free(exp);
		tu_free(t);
	}
}
END_TEST

/* Codes outside 200..999 (1xx included) are refused, nothing changes. */
START_TEST(test_status_refused_codes)
{
	static const int codes[] = { 0, 99, 100, 101, 103, 199, 1000, -1, -200,
		1099, 2147483647, -2147483647 - 1 };
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		struct tu *t = tu_new(RSP_CGI);
		ck_ok(rsp_set_status(t->res, 201, NULL));
		ck_refused(t, rsp_set_status(t->res, codes[i], NULL),
		    RSP_EINVAL);
		ck_refused(t, rsp_set_status(t->res, codes[i], "OK"),
		    RSP_EINVAL);
		ck_refused(t,
		    rsp_writer_write_status(t->res->writer, codes[i], NULL),
		    RSP_EINVAL);
		ck_refused(t,
		    rsp_writer_write_status(t->res->writer, codes[i], "OK"),
		    RSP_EINVAL);
		/* the response is still usable and kept its status */
		ck_ok(rsp_finish(t->res));
		ck_out(t, "Status: 201 Created\r\n\r\n");
		tu_free(t);
	}
}
END_TEST

/* CR/LF injection and control bytes in reason phrases. */
START_TEST(test_status_refused_messages)
{
	static const char *const msgs[] = {
		"OK\r\nX-Injected: 1",
		"OK\nX-Injected: 1",
		"OK\rX",
		"OK\r\n",
		"\r\n",
		"Not\001Found",
		"A\x7f",
		"A\x1b[31m",
		"\n",
	};
	for (size_t f = 0; f < 3; f++)
		for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
			struct tu *t = tu_new((enum rsp_flavour)f);
			ck_refused(t, rsp_set_status(t->res, 200, msgs[i]),
			    RSP_EINVAL);
			ck_refused(t,
			    rsp_writer_write_status(t->res->writer, 200,
			        msgs[i]),
			    RSP_EINVAL);
			tu_free(t);
		}
}
END_TEST

/* Every byte in a reason phrase "A<b>B": HTAB, SP, VCHAR, obs-text only. */
START_TEST(test_status_message_bytes)
{
	for (int b = 1; b < 256; b++) {
		char msg[4] = { 'A', (char)b, 'B', 0 };
		bool ok = b == 0x09 || (b >= 0x20 && b <= 0x7e) || b >= 0x80;
		struct tu *t = tu_new(RSP_CGI);
		if (ok) {
			ck_assert_msg(rsp_set_status(t->res, 200, msg) ==
			        RSP_OK,
			    "byte 0x%02x refused by rsp_set_status", b);
			ck_ok(rsp_finish(t->res));
			char exp[32];
			snprintf(exp, sizeof exp, "Status: 200 %s\r\n\r\n",
			    msg);
			ck_out_s(t, exp);
		} else {
			ck_refused(t, rsp_set_status(t->res, 200, msg),
			    RSP_EINVAL);
		}
		tu_free(t);

		t = tu_new(RSP_CGI);
		if (ok) {
			ck_assert_msg(rsp_writer_write_status(t->res->writer,
			                  200, msg) == RSP_OK,
			    "byte 0x%02x refused by "
			    "rsp_writer_write_status",
			    b);
			ck_ok(rsp_writer_flush(t->res->writer));
			char exp[32];
			snprintf(exp, sizeof exp, "Status: 200 %s\r\n", msg);
			ck_out_s(t, exp);
		} else {
			ck_refused(t,
			    rsp_writer_write_status(t->res->writer, 200, msg),
			    RSP_EINVAL);
		}
		tu_free(t);
	}
}
END_TEST

/* NPH uses SERVER_PROTOCOL's version: HTTP/1.0 stays 1.0, others 1.1. */
START_TEST(test_status_nph_protocol)
{
	static const struct {
		const char *proto;
		const char *line;
	} cases[] = {
		{ "SERVER_PROTOCOL=HTTP/1.0", "HTTP/1.0 200 OK\r\n" },
		{ "SERVER_PROTOCOL=HTTP/1.1", "HTTP/1.1 200 OK\r\n" },
		{ "SERVER_PROTOCOL=INCLUDED", "HTTP/1.1 200 OK\r\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *env[] = { (char *)"REQUEST_METHOD=GET",
			(char *)cases[i].proto,
			(char *)"SCRIPT_NAME=/cgi-bin/nph-x", NULL };
		struct tu *t = tu_make(env);
		ck_assert_int_eq(rsp_flavour(t->res), RSP_NPH);
		ck_ok(rsp_set_content(t->res, "hi", -1));
		ck_ok(rsp_finish(t->res));
		char *exp =
		    tu_strdupf("%s" NPH_REQ "Content-Length: 2\r\n\r\nhi",
		        cases[i].line);
		ck_out_s(t, exp);
		free(exp);
		tu_free(t);
	}
}
END_TEST

/* rsp_status reports a status written through the writer. */
START_TEST(test_status_from_writer)
{
	struct tu *t = tu_new(RSP_CGI);
	const char *msg = NULL;
	ck_ok(rsp_writer_write_status(t->res->writer, 202, "Giraffe"));
	ck_assert_int_eq(rsp_status(t->res, &msg), 202);
	ck_assert_str_eq(msg, "Giraffe");
	tu_free(t);

	t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_header(t->res->writer, "X-A", "1"));
	ck_assert_int_eq(rsp_status(t->res, &msg), 200);
	tu_free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("status");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, test_reason_reference_table);
	tcase_add_test(tc, test_reason_iana);
	tcase_add_test(tc, test_reason_empty);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);

	tc = tcase_create("status");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_status_default);
	tcase_add_test(tc, test_status_set_and_read);
	tcase_add_test(tc, test_status_message_copied);
	tcase_add_loop_test(tc, test_status_lines_flavours, RSP_CGI,
	    RSP_H2 + 1);
	tcase_add_test(tc, test_status_accepted_codes);
	tcase_add_test(tc, test_status_refused_codes);
	tcase_add_test(tc, test_status_refused_messages);
	tcase_add_test(tc, test_status_message_bytes);
	tcase_add_test(tc, test_status_nph_protocol);
	tcase_add_test(tc, test_status_from_writer);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
