/* check_headers.c - rsp_headers_* (set/append/setf/appendf/get/get_all/contains/
 * remove/next/count), ordering, header grammar and flavour rules at every entry point. */
#include "testutil.h"

static bool is_tchar(int b)
{
	if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
	    (b >= '0' && b <= '9'))
		return true;
	return b != 0 && strchr("!#$%&'*+-.^_`|~", b) != NULL;
}

/* Every way a header enters must refuse (name, value) with `code` and
 * change nothing; the list already holds "X-A: old" and "X-Pre: 1". */
static void refuse_everywhere(enum rsp_flavour f, const char *name,
    const char *value, int code)
{
	tu_set_ctx(tu_flavour_name(f), name, value);
	struct tu *t = tu_new(f);
	rsp_headers *h = t->res->headers;
	ck_ok(rsp_headers_set(h, "X-A", "old"));
	ck_ok(rsp_headers_set(h, "X-Pre", "1"));
	ck_refused(t, rsp_headers_set(h, name, value), code);
	ck_refused(t, rsp_headers_append(h, name, value), code);
	ck_refused(t, rsp_headers_setf(h, name, "%s", value), code);
	ck_refused(t, rsp_headers_appendf(h, name, "%s", value), code);
	ck_refused(t, rsp_writer_write_header(t->res->writer, name, value),
	    code);
	/* still usable */
	ck_ok(rsp_headers_set(h, "X-After", "ok"));
	ck_assert_str_eq(rsp_headers_get(h, "X-A"), "old");
	tu_free(t);
}

/* Every entry point accepts (name, value) in flavour f. */
static void accept_everywhere(enum rsp_flavour f, const char *name,
    const char *value)
{
	struct tu *t = tu_new(f);
	rsp_headers *h = t->res->headers;
	ck_assert_msg(rsp_headers_set(h, name, value) == RSP_OK, "%s set %s",
	    tu_flavour_name(f), name);
	ck_assert_str_eq(rsp_headers_get(h, name), value);
	ck_ok(rsp_headers_remove(h, name));
	ck_assert_msg(rsp_headers_append(h, name, value) == RSP_OK,
	    "%s append %s", tu_flavour_name(f), name);
	ck_ok(rsp_headers_remove(h, name));
	ck_assert_msg(rsp_headers_setf(h, name, "%s", value) == RSP_OK,
	    "%s setf %s", tu_flavour_name(f), name);
	ck_ok(rsp_headers_remove(h, name));
	ck_assert_msg(rsp_headers_appendf(h, name, "%s", value) == RSP_OK,
	    "%s appendf %s", tu_flavour_name(f), name);
	ck_assert_msg(rsp_writer_write_header(t->res->writer, name, value) ==
	        RSP_OK,
	    "%s write_header %s", tu_flavour_name(f), name);
	tu_free(t);
}

/* ---- basic operations ------------------------------------------------ */

START_TEST(test_set_get_contains)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_headers *h = t->res->headers;
	ck_assert_uint_eq(rsp_headers_count(h), 0);
	ck_assert_ptr_null(rsp_headers_get(h, "Content-Type"));
	ck_assert(!rsp_headers_contains(h, "Content-Type"));
	ck_ok(rsp_headers_set(h, "Content-Type", "text/plain"));
	ck_assert_str_eq(rsp_headers_get(h, "Content-Type"), "text/plain");
	ck_assert_str_eq(rsp_headers_get(h, "content-type"), "text/plain");
	ck_assert_str_eq(rsp_headers_get(h, "CONTENT-TYPE"), "text/plain");
	ck_assert(rsp_headers_contains(h, "cOnTeNt-TyPe"));
	ck_assert(!rsp_headers_contains(h, "Content-Typ"));
	ck_assert(!rsp_headers_contains(h, "Content-Type2"));
	ck_assert_ptr_null(rsp_headers_get(h, "X-Missing"));
	ck_assert_uint_eq(rsp_headers_count(h), 1);
	ck_ok(rsp_headers_set(h, "content-type", "text/html"));
	ck_assert_uint_eq(rsp_headers_count(h), 1);
	ck_assert_str_eq(rsp_headers_get(h, "Content-Type"), "text/html");
	tu_free(t);
}
END_TEST

START_TEST(test_append_get_all)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_headers *h = t->res->headers;
	const char *v[4] = { NULL, NULL, NULL, NULL };
	ck_assert_uint_eq(rsp_headers_get_all(h, "A", v, 4), 0);
	ck_ok(rsp_headers_append(h, "A", "1"));
	ck_ok(rsp_headers_append(h, "B", "x"));
	ck_ok(rsp_headers_append(h, "a", "2"));
	ck_ok(rsp_headers_append(h, "A", "3"));
	ck_assert_uint_eq(rsp_headers_count(h), 4);
	ck_assert_str_eq(rsp_headers_get(h, "a"), "1");
	ck_assert_uint_eq(rsp_headers_get_all(h, "a", v, 4), 3);
	ck_assert_str_eq(v[0], "1");
	ck_assert_str_eq(v[1], "2");
	ck_assert_str_eq(v[2], "3");
	ck_assert_ptr_null(v[3]);
	v[0] = v[1] = v[2] = NULL;
	ck_assert_uint_eq(rsp_headers_get_all(h, "A", v, 2), 3);
	ck_assert_str_eq(v[0], "1");
	ck_assert_str_eq(v[1], "2");
	ck_assert_ptr_null(v[2]);
	ck_assert_uint_eq(rsp_headers_get_all(h, "A", NULL, 0), 3);
	ck_assert_uint_eq(rsp_headers_get_all(h, "b", v, 4), 1);
	ck_assert_str_eq(v[0], "x");
	/* set replaces every value of the name */
	ck_ok(rsp_headers_set(h, "A", "only"));
	ck_assert_uint_eq(rsp_headers_get_all(h, "A", v, 4), 1);
	ck_assert_str_eq(v[0], "only");
	ck_assert_uint_eq(rsp_headers_count(h), 2);
	tu_free(t);
}
END_TEST

/* Collect the list as "name: value\n". */
static char *dump(struct tu *t)
{
	return tu_headers_dump(t->res->headers);
}

/* The headers example wptserve's documentation gives, verified there. */
START_TEST(test_order_reference_example)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_headers *h = t->res->headers;
	ck_ok(rsp_headers_set(h, "X-A", "1"));
	ck_ok(rsp_headers_append(h, "x-b", "2"));
	ck_ok(rsp_headers_append(h, "X-A", "3"));
	ck_ok(rsp_headers_set(h, "x-a", "4"));
	ck_ok(rsp_headers_append(h, "X-C", "5"));
	ck_ok(rsp_headers_remove(h, "X-B"));
	char *d = dump(t);
	ck_assert_str_eq(d, "x-a: 4\nX-C: 5\n");
	free(d);
	ck_assert_uint_eq(rsp_headers_count(h), 2);
	ck_ok(rsp_write(t->res));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nx-a: 4\r\nX-C: 5\r\n\r\n");
	tu_free(t);
}
END_TEST

START_TEST(test_order_interleaved)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_headers *h = t->res->headers;
	ck_ok(rsp_headers_append(h, "A", "1"));
	ck_ok(rsp_headers_append(h, "B", "2"));
	ck_ok(rsp_headers_append(h, "A", "3"));
	char *d = dump(t);
	ck_assert_str_eq(d, "A: 1\nA: 3\nB: 2\n");
	free(d);
	ck_ok(rsp_set_content(t->res, "x", 1));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 200 OK\r\nA: 1\r\nA: 3\r\nB: 2\r\n"
	    "Content-Length: 1\r\n\r\nx");
	tu_free(t);
}
END_TEST

/* set keeps the place and takes the new spelling; append keeps the first. */
START_TEST(test_order_spelling)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_headers *h = t->res->headers;
	ck_ok(rsp_headers_set(h, "X-First", "1"));
	ck_ok(rsp_headers_set(h, "X-Second", "2"));
	ck_ok(rsp_headers_set(h, "X-Third", "3"));
	ck_ok(rsp_headers_set(h, "x-FIRST", "one"));
	ck_ok(rsp_headers_append(h, "x-second", "two"));
	char *d = dump(t);
	ck_assert_str_eq(d,
	    "x-FIRST: one\nX-Second: 2\nX-Second: two\n"
	    "X-Third: 3\n");
	free(d);
	/* removal then re-adding puts the name at the end */
	ck_ok(rsp_headers_remove(h, "X-FIRST"));
	ck_ok(rsp_headers_append(h, "X-First", "again"));
	d = dump(t);
	ck_assert_str_eq(d,
	    "X-Second: 2\nX-Second: two\nX-Third: 3\n"
	    "X-First: again\n");
	free(d);
	ck_assert_uint_eq(rsp_headers_count(h), 4);
	tu_free(t);
}
END_TEST

START_TEST(test_remove)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_headers *h = t->res->headers;
	ck_ok(rsp_headers_append(h, "A", "1"));
	ck_ok(rsp_headers_append(h, "B", "2"));
	ck_ok(rsp_headers_append(h, "a", "3"));
	ck_ok(rsp_headers_remove(h, "a"));
	ck_assert(!rsp_headers_contains(h, "A"));
	ck_assert_ptr_null(rsp_headers_get(h, "A"));
	ck_assert_uint_eq(rsp_headers_count(h), 1);
	/* a name that is not there: the list stays as it was */
	(void)rsp_headers_remove(h, "Nope");
	char *d = dump(t);
	ck_assert_str_eq(d, "B: 2\n");
	free(d);
	ck_ok(rsp_headers_remove(h, "B"));
	ck_assert_uint_eq(rsp_headers_count(h), 0);
	size_t pos = 0;
	const char *n, *v;
	ck_assert(!rsp_headers_next(h, &pos, &n, &v));
	tu_free(t);
}
END_TEST

START_TEST(test_next_iteration)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_headers *h = t->res->headers;
	size_t pos = 0;
	const char *n = NULL, *v = NULL;
	ck_assert(!rsp_headers_next(h, &pos, &n, &v));
	ck_ok(rsp_headers_append(h, "Set-Cookie", "a=1"));
	ck_ok(rsp_headers_append(h, "X-A", "x"));
	ck_ok(rsp_headers_append(h, "Set-Cookie", "b=2"));
	static const char *const en[] = { "Set-Cookie", "Set-Cookie", "X-A" };
	static const char *const ev[] = { "a=1", "b=2", "x" };
	pos = 0;
	size_t i = 0;
	while (rsp_headers_next(h, &pos, &n, &v)) {
		ck_assert_uint_lt(i, 3);
		ck_assert_str_eq(n, en[i]);
		ck_assert_str_eq(v, ev[i]);
		i++;
	}
	ck_assert_uint_eq(i, 3);
	/* iteration is repeatable and leaves pos at the end */
	ck_assert(!rsp_headers_next(h, &pos, &n, &v));
	pos = 0;
	ck_assert(rsp_headers_next(h, &pos, &n, &v));
	ck_assert_str_eq(v, "a=1");
	tu_free(t);
}
END_TEST

START_TEST(test_setf_appendf)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_headers *h = t->res->headers;
	ck_ok(rsp_headers_setf(h, "X-N", "%d-%s", 42, "x"));
	ck_assert_str_eq(rsp_headers_get(h, "X-N"), "42-x");
	ck_ok(rsp_headers_appendf(h, "x-n", "%05.1f|%c", 3.14159, 'z'));
	const char *v[3];
	ck_assert_uint_eq(rsp_headers_get_all(h, "X-N", v, 3), 2);
	ck_assert_str_eq(v[0], "42-x");
	ck_assert_str_eq(v[1], "003.1|z");
	ck_ok(rsp_headers_setf(h, "Content-Length", "%zu", (size_t)20));
	ck_assert_str_eq(rsp_headers_get(h, "Content-Length"), "20");
	/* a long formatted value */
	char *big = malloc(10001);
	memset(big, 'v', 10000);
	big[10000] = 0;
	ck_ok(rsp_headers_setf(h, "X-Big", "<%s>", big));
	const char *got = rsp_headers_get(h, "X-Big");
	ck_assert_uint_eq(strlen(got), 10002);
	ck_assert(got[0] == '<' && got[10001] == '>' && got[5000] == 'v');
	free(big);
	tu_free(t);
}
END_TEST

/* A NUL produced by formatting is part of the value and is refused. */
START_TEST(test_setf_nul_refused)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_headers *h = t->res->headers;
	ck_ok(rsp_headers_set(h, "X-A", "old"));
	ck_refused(t, rsp_headers_setf(h, "X-A", "a%cb", 0), RSP_EINVAL);
	ck_refused(t, rsp_headers_appendf(h, "X-A", "a%cb", 0), RSP_EINVAL);
	ck_refused(t, rsp_headers_setf(h, "X-A", "ok%s", "\r\nX-B: 1"),
	    RSP_EINVAL);
	ck_refused(t, rsp_headers_appendf(h, "X-A", "%c", '\n'), RSP_EINVAL);
	tu_free(t);
}
END_TEST

/* Strings are copied: the caller may reuse its buffers at once. */
START_TEST(test_strings_copied)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_headers *h = t->res->headers;
	char name[16], value[16];
	strcpy(name, "X-Name");
	strcpy(value, "value");
	ck_ok(rsp_headers_set(h, name, value));
	strcpy(name, "Y-Zzzz");
	strcpy(value, "XXXXX");
	ck_assert_str_eq(rsp_headers_get(h, "X-Name"), "value");
	size_t pos = 0;
	const char *n, *v;
	ck_assert(rsp_headers_next(h, &pos, &n, &v));
	ck_assert_str_eq(n, "X-Name");
	tu_free(t);
}
END_TEST

/* Set-Cookie is never comma-joined, in any flavour. */
START_TEST(test_set_cookie_lines)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	rsp_headers *h = t->res->headers;
	ck_ok(rsp_headers_append(h, "Set-Cookie", "a=1"));
	ck_ok(rsp_headers_append(h, "Set-Cookie", "b=2; Path=/"));
	ck_ok(rsp_set_content(t->res, "", 0));
	ck_ok(rsp_finish(t->res));
	if (f == RSP_CGI)
		ck_out(t,
		    "Status: 200 OK\r\nSet-Cookie: a=1\r\n"
		    "Set-Cookie: b=2; Path=/\r\nContent-Length: 0\r\n\r\n");
	else if (f == RSP_NPH)
		ck_out(t,
		    "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\n"
		    "Set-Cookie: b=2; Path=/\r\n" NPH_REQ
		    "Content-Length: 0\r\n\r\n");
	else
		ck_out(t,
		    "Status: 200 OK\r\nset-cookie: a=1\r\n"
		    "set-cookie: b=2; Path=/\r\ncontent-length: 0\r\n\r\n");
	tu_free(t);
}
END_TEST

/* Names keep their case except in H2, where they go out lower-cased. */
START_TEST(test_output_case_flavours)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_headers_set(t->res->headers, "X-Mixed-CASE", "Value-Case"));
	ck_ok(rsp_headers_set(t->res->headers, "content-type", "text/plain"));
	ck_ok(rsp_set_content(t->res, "abc", -1));
	ck_ok(rsp_finish(t->res));
	if (f == RSP_CGI)
		ck_out(t,
		    "Status: 200 OK\r\nX-Mixed-CASE: Value-Case\r\n"
		    "content-type: text/plain\r\nContent-Length: 3\r\n\r\nabc");
	else if (f == RSP_NPH)
		ck_out(t,
		    "HTTP/1.1 200 OK\r\nX-Mixed-CASE: Value-Case\r\n"
		    "content-type: text/plain\r\n" NPH_REQ
		    "Content-Length: 3\r\n\r\nabc");
	else
		ck_out(t,
		    "Status: 200 OK\r\nx-mixed-case: Value-Case\r\n"
		    "content-type: text/plain\r\ncontent-length: 3\r\n\r\nabc");
	tu_free(t);
}
END_TEST

/* ---- grammar: every byte ------------------------------------------------ */

START_TEST(test_name_every_byte)
{
	for (int b = 1; b < 256; b++) {
		char name[4] = { 'X', (char)b, 'Y', 0 };
		bool ok = is_tchar(b);
		struct tu *t = tu_new(RSP_CGI);
		rsp_headers *h = t->res->headers;
		if (ok) {
			ck_assert_msg(rsp_headers_set(h, name, "v") == RSP_OK,
			    "tchar 0x%02x refused by rsp_headers_set", b);
			ck_assert_str_eq(rsp_headers_get(h, name), "v");
			ck_assert_uint_eq(rsp_headers_count(h), 1);
		} else {
			ck_refused(t, rsp_headers_set(h, name, "v"),
			    RSP_EINVAL);
		}
		tu_free(t);

		t = tu_new(RSP_CGI);
		if (ok) {
			ck_assert_msg(rsp_writer_write_header(t->res->writer,
			                  name, "v") == RSP_OK,
			    "tchar 0x%02x refused by rsp_writer_write_header",
			    b);
			ck_ok(rsp_writer_flush(t->res->writer));
			char exp[40];
			snprintf(exp, sizeof exp, "Status: 200 OK\r\n%s: v\r\n",
			    name);
			ck_out_s(t, exp);
		} else {
			ck_refused(t,
			    rsp_writer_write_header(t->res->writer, name, "v"),
			    RSP_EINVAL);
		}
		tu_free(t);
	}
}
END_TEST

START_TEST(test_value_every_byte)
{
	for (int b = 1; b < 256; b++) {
		char value[4] = { 'a', (char)b, 'b', 0 };
		bool ok = b == 0x09 || (b >= 0x20 && b <= 0x7e) || b >= 0x80;
		struct tu *t = tu_new(RSP_CGI);
		rsp_headers *h = t->res->headers;
		if (ok) {
			ck_assert_msg(rsp_headers_set(h, "X-V", value) ==
			        RSP_OK,
			    "byte 0x%02x refused by rsp_headers_set", b);
			ck_assert_str_eq(rsp_headers_get(h, "X-V"), value);
		} else {
			ck_refused(t, rsp_headers_set(h, "X-V", value),
			    RSP_EINVAL);
		}
		tu_free(t);

		t = tu_new(RSP_CGI);
		if (ok) {
			ck_assert_msg(rsp_writer_write_header(t->res->writer,
			                  "X-V", value) == RSP_OK,
			    "byte 0x%02x refused by rsp_writer_write_header",
			    b);
			ck_ok(rsp_writer_flush(t->res->writer));
			char exp[40];
			snprintf(exp, sizeof exp,
			    "Status: 200 OK\r\nX-V: %s\r\n", value);
			ck_out_s(t, exp);
		} else {
			ck_refused(t,
			    rsp_writer_write_header(t->res->writer, "X-V",
			        value),
			    RSP_EINVAL);
		}
		tu_free(t);
	}
}
END_TEST

/* ---- grammar: catalog --------------------------------------------------- */

START_TEST(test_refused_names)
{
	static const char *const names[] = {
		"",
		"X A",
		"X:A",
		"X-A:",
		"X\tA",
		"X\r\nA",
		"X\nA",
		"X\rA",
		"(X)",
		"X/A",
		"X@A",
		"X\"A",
		"X-\xc3\xa9",
		" X",
		"X ",
		":status",
		"X=A",
		"X;A",
		"X,A",
		"X[A]",
		"X{A}",
		"X?A",
		"X\\A",
		"X\x7f",
	};
	for (int f = 0; f < 3; f++)
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			refuse_everywhere((enum rsp_flavour)f, names[i], "v",
			    RSP_EINVAL);
}
END_TEST

START_TEST(test_refused_values)
{
	static const char *const values[] = {
		"v\r\nSet-Cookie: s=1",
		"v\nX-B: 1",
		"v\rX-B: 1",
		"\r\n",
		"v\r\n",
		"\n",
		"a\001b",
		"a\033b",
		"a\177b",
		"a\037b",
		"a\013b",
		"a\014b",
		"\x7f",
		"v\r\n\r\n<html>",
	};
	for (int f = 0; f < 3; f++)
		for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
			refuse_everywhere((enum rsp_flavour)f, "X-A", values[i],
			    RSP_EINVAL);
}
END_TEST

START_TEST(test_accepted_values)
{
	static const char *const values[] = {
		"a\tb",
		"caf\xc3\xa9",
		"",
		"\xff\x80",
		"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
	};
	for (int f = 0; f < 3; f++)
		for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
			accept_everywhere((enum rsp_flavour)f, "X-A",
			    values[i]);
	/* leading/trailing whitespace: CGI and NPH keep it, H2 refuses it */
	static const char *const ws[] = { " v", "v ", "\tv", "v\t", " v " };
	for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
		accept_everywhere(RSP_CGI, "X-A", ws[i]);
		accept_everywhere(RSP_NPH, "X-A", ws[i]);
		refuse_everywhere(RSP_H2, "X-A", ws[i], RSP_EINVAL);
	}
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_headers_set(t->res->headers, "X-A", " v "));
	ck_ok(rsp_headers_set(t->res->headers, "X-E", ""));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nX-A:  v \r\nX-E: \r\n\r\n");
	tu_free(t);
}
END_TEST

START_TEST(test_status_header_refused)
{
	static const char *const names[] = { "Status", "status", "STATUS",
		"sTaTuS" };
	for (int f = 0; f < 3; f++)
		for (size_t i = 0; i < 4; i++) {
			refuse_everywhere((enum rsp_flavour)f, names[i],
			    "200 OK", RSP_EINVAL);
			refuse_everywhere((enum rsp_flavour)f, names[i], "302",
			    RSP_EINVAL);
		}
}
END_TEST

START_TEST(test_transfer_encoding)
{
	/* Never two framings: respond frames NPH bodies with Content-Length
	 * or by closing, so the field is refused in every flavour. */
	static const char *const names[] = { "Transfer-Encoding",
		"transfer-encoding", "TRANSFER-ENCODING" };
	for (size_t i = 0; i < 3; i++)
		for (int f = RSP_CGI; f <= RSP_H2; f++)
			refuse_everywhere((enum rsp_flavour)f, names[i],
			    "chunked", RSP_EINVAL);
	struct tu *t = tu_new(RSP_NPH);
	ck_refused_why(t,
	    rsp_headers_set(t->res->headers, "Transfer-Encoding", "chunked"),
	    RSP_EINVAL,
	    "Transfer-Encoding is never sent: respond "
	    "frames the body with Content-Length or by closing the connection");
	ck_ok(rsp_set_content(t->res, "hello", 5));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "HTTP/1.1 200 OK\r\n" NPH_REQ "Content-Length: 5\r\n\r\nhello");
	tu_free(t);
}
END_TEST

/* Connection-specific fields: HTTP/2 forbids them (RFC 9113 8.2.2) and
 * in CGI they are the web server's (RFC 3875 6.3); only an NPH program
 * speaks to the client's connection itself. */
START_TEST(test_h2_connection_specific)
{
	static const char *const names[] = { "Connection", "connection",
		"Keep-Alive", "KEEP-ALIVE", "Proxy-Connection",
		"proxy-connection", "Upgrade", "upgrade", "Transfer-Encoding" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		refuse_everywhere(RSP_H2, names[i], "close", RSP_EINVAL);
		refuse_everywhere(RSP_CGI, names[i], "close", RSP_EINVAL);
	}
	for (size_t i = 0; i < 8; i++)
		accept_everywhere(RSP_NPH, names[i], "close");
	/* TE is connection-specific too; HTTP/2 lets only "trailers" through. */
	refuse_everywhere(RSP_H2, "te", "gzip", RSP_EINVAL);
	refuse_everywhere(RSP_H2, "TE", "trailers, gzip", RSP_EINVAL);
	accept_everywhere(RSP_H2, "te", "trailers");
	accept_everywhere(RSP_NPH, "TE", "gzip");
}
END_TEST

START_TEST(test_content_length_values)
{
	static const char *const bad[] = {
		"abc",
		"-1",
		"1e3",
		"",
		"12, 12",
		"+1",
		" 1",
		"1 ",
		"0x10",
		"1.0",
		"１",
		"99999999999999999999",
		"9223372036854775808",
		"123456789012345678901234567890",
		"4\t",
	};
	for (int f = 0; f < 3; f++)
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			refuse_everywhere((enum rsp_flavour)f, "Content-Length",
			    bad[i], RSP_EINVAL);
			refuse_everywhere((enum rsp_flavour)f, "content-length",
			    bad[i], RSP_EINVAL);
		}
	static const char *const good[] = { "0", "20", "9223372036854775807" };
	for (size_t i = 0; i < 3; i++) {
		struct tu *t = tu_new(RSP_CGI);
		ck_ok(rsp_headers_set(t->res->headers, "Content-Length",
		    good[i]));
		ck_assert_str_eq(rsp_headers_get(t->res->headers,
		                     "content-length"),
		    good[i]);
		tu_free(t);
	}
}
END_TEST

/* Values past 2^64 must not wrap around to small numbers. */
START_TEST(test_content_length_wrap)
{
	static const char *const bad[] = { "18446744073709551616",
		"18446744073709551620", "18446744073709551619" };
	for (int f = 0; f < 3; f++)
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
			refuse_everywhere((enum rsp_flavour)f, "Content-Length",
			    bad[i], RSP_EINVAL);
}
END_TEST

START_TEST(test_content_length_second)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_headers *h = t->res->headers;
	ck_ok(rsp_headers_set(h, "Content-Length", "4"));
	ck_refused(t, rsp_headers_append(h, "Content-Length", "4"), RSP_EINVAL);
	ck_refused(t, rsp_headers_append(h, "content-length", "5"), RSP_EINVAL);
	ck_refused(t, rsp_headers_appendf(h, "CONTENT-LENGTH", "%d", 5),
	    RSP_EINVAL);
	/* set replaces the one value */
	ck_ok(rsp_headers_set(h, "content-length", "5"));
	ck_assert_uint_eq(rsp_headers_get_all(h, "Content-Length", NULL, 0), 1);
	ck_assert_str_eq(rsp_headers_get(h, "Content-Length"), "5");
	ck_ok(rsp_headers_setf(h, "Content-Length", "%d", 6));
	ck_assert_uint_eq(rsp_headers_count(h), 1);
	tu_free(t);

	/* through the writer */
	t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_header(t->res->writer, "Content-Length", "4"));
	ck_refused(t,
	    rsp_writer_write_header(t->res->writer, "Content-Length", "4"),
	    RSP_EINVAL);
	ck_refused(t,
	    rsp_writer_write_header(t->res->writer, "content-length", "9"),
	    RSP_EINVAL);
	ck_ok(rsp_writer_end_headers(t->res->writer));
	ck_ok(rsp_writer_write_content(t->res->writer, "test", 4));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Length: 4\r\n\r\ntest");
	tu_free(t);
}
END_TEST

/* rsp_set_flavour refuses a change that would make a queued header invalid. */
START_TEST(test_flavour_change_refused)
{
	static const struct {
		enum rsp_flavour from, to;
		const char *n, *v;
	} cases[] = {
		{ RSP_NPH, RSP_H2, "Connection", "close" },
		{ RSP_NPH, RSP_H2, "keep-alive", "timeout=5" },
		{ RSP_NPH, RSP_H2, "Proxy-Connection", "close" },
		{ RSP_NPH, RSP_H2, "Upgrade", "h2c" },
		{ RSP_NPH, RSP_H2, "TE", "gzip" },
		{ RSP_NPH, RSP_CGI, "Connection", "close" },
		{ RSP_CGI, RSP_H2, "X-A", " padded" },
		{ RSP_NPH, RSP_H2, "X-A", "padded\t" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tu *t = tu_new(cases[i].from);
		ck_ok(rsp_headers_set(t->res->headers, "X-Ok", "1"));
		ck_ok(rsp_headers_set(t->res->headers, cases[i].n, cases[i].v));
		ck_refused(t, rsp_set_flavour(t->res, cases[i].to), RSP_EINVAL);
		ck_assert_int_eq(rsp_flavour(t->res), cases[i].from);
		/* removing the header makes the change possible */
		ck_ok(rsp_headers_remove(t->res->headers, cases[i].n));
		ck_ok(rsp_set_flavour(t->res, cases[i].to));
		ck_assert_int_eq(rsp_flavour(t->res), cases[i].to);
		tu_free(t);
	}
	/* a valid list moves to H2 and goes out lower-cased */
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_headers_set(t->res->headers, "X-Ok", "1"));
	ck_ok(rsp_set_flavour(t->res, RSP_H2));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nx-ok: 1\r\n\r\n");
	tu_free(t);
}
END_TEST

START_TEST(test_flavour_after_output)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_header(t->res->writer, "X-A", "1"));
	ck_refused(t, rsp_set_flavour(t->res, RSP_NPH), RSP_ESTATE);
	ck_refused(t, rsp_set_flavour(t->res, RSP_H2), RSP_ESTATE);
	tu_free(t);

	t = tu_new(RSP_NPH);
	ck_ok(rsp_writer_write_raw(t->res->writer, "x", 1));
	ck_refused(t, rsp_set_flavour(t->res, RSP_CGI), RSP_ESTATE);
	tu_free(t);
}
END_TEST

/* A header after the block ended is refused (through the writer). */
START_TEST(test_writer_header_after_end)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_writer_write_header(t->res->writer, "X-A", "1"));
	ck_ok(rsp_writer_end_headers(t->res->writer));
	ck_refused(t, rsp_writer_write_header(t->res->writer, "X-B", "2"),
	    RSP_ESTATE);
	ck_refused(t, rsp_writer_write_header(t->res->writer, "x-a", "3"),
	    RSP_ESTATE);
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nX-A: 1\r\n\r\n");
	tu_free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("headers");
	TCase *tc = tcase_create("list");
	tcase_add_test(tc, test_set_get_contains);
	tcase_add_test(tc, test_append_get_all);
	tcase_add_test(tc, test_order_reference_example);
	tcase_add_test(tc, test_order_interleaved);
	tcase_add_test(tc, test_order_spelling);
	tcase_add_test(tc, test_remove);
	tcase_add_test(tc, test_next_iteration);
	tcase_add_test(tc, test_setf_appendf);
	tcase_add_test(tc, test_setf_nul_refused);
	tcase_add_test(tc, test_strings_copied);
	tcase_add_loop_test(tc, test_set_cookie_lines, RSP_CGI, RSP_H2 + 1);
	tcase_add_loop_test(tc, test_output_case_flavours, RSP_CGI, RSP_H2 + 1);
	suite_add_tcase(s, tc);

	tc = tcase_create("grammar");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_name_every_byte);
	tcase_add_test(tc, test_value_every_byte);
	tcase_add_test(tc, test_refused_names);
	tcase_add_test(tc, test_refused_values);
	tcase_add_test(tc, test_accepted_values);
	tcase_add_test(tc, test_status_header_refused);
	tcase_add_test(tc, test_transfer_encoding);
	tcase_add_test(tc, test_h2_connection_specific);
	tcase_add_test(tc, test_content_length_values);
	tcase_add_test(tc, test_content_length_wrap);
	tcase_add_test(tc, test_content_length_second);
	tcase_add_test(tc, test_flavour_change_refused);
	tcase_add_test(tc, test_flavour_after_output);
	tcase_add_test(tc, test_writer_header_after_end);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
