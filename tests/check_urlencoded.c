/* check_urlencoded.c - WHATWG application/x-www-form-urlencoded parsing:
 * the parser itself (byte-exact, limits, no over-read at a page end), the
 * query string through rsp_request_query*, and urlencoded form bodies. */
#include "requtil.h"

/* Parse s (length len) and compare the dump, or expect an error. */
static void parse_expect(const char *s, size_t len, size_t max, int rc,
    const char *dump)
{
	struct rsp__arena a;
	struct rsp__pairs p;
	rsp__arena_init(&a);
	int got = rsp__urlencoded_parse(&a, s, len, max, &p);
	char *in = tu_escape(s, len);
	ck_assert_msg(got == rc, "parse(%s) = %d, expected %d", in, got, rc);
	if (rc == RSP_OK) {
		char *d = pairs_dump(&p);
		char *m = tu_diff(d, strlen(d), dump, strlen(dump));
		ck_assert_msg(m == NULL, "parse(%s): %s", in, m ? m : "");
		free(d);
	} else {
		ck_assert_ptr_null(p.v);
		ck_assert_uint_eq(p.n, 0);
	}
	free(in);
	rsp__arena_free(&a);
}

#define PE(lit, dump) parse_expect((lit), sizeof(lit) - 1, 1000, RSP_OK, (dump))
#define PERR(lit, rc) parse_expect((lit), sizeof(lit) - 1, 1000, (rc), NULL)

START_TEST(test_basic_pairs)
{
	PE("", "");
	PE("a=1", "\"a\"=\"1\"\n");
	PE("a=1&b=2", "\"a\"=\"1\"\n\"b\"=\"2\"\n");
	PE("a", "\"a\"=\"\"\n");
	PE("a=", "\"a\"=\"\"\n");
	PE("=", "\"\"=\"\"\n");
	PE("=v", "\"\"=\"v\"\n");
	PE("a==b", "\"a\"=\"=b\"\n");
	PE("a=b=c", "\"a\"=\"b=c\"\n");
}
END_TEST

START_TEST(test_empty_sequences_skipped)
{
	PE("&", "");
	PE("&&&", "");
	PE("&&a&=v&a=&&", "\"a\"=\"\"\n\"\"=\"v\"\n\"a\"=\"\"\n");
	PE("a=1&&b=2&", "\"a\"=\"1\"\n\"b\"=\"2\"\n");
}
END_TEST

START_TEST(test_plus_and_percent)
{
	PE("a=1+2%2B3", "\"a\"=\"1 2+3\"\n");
	PE("+", "\" \"=\"\"\n");
	PE("+=+", "\" \"=\" \"\n");
	PE("%2B=%2b", "\"+\"=\"+\"\n");
	PE("%3D=%26", "\"=\"=\"&\"\n");
	PE("a=%e2%82%AC", "\"a\"=\"\\xe2\\x82\\xac\"\n");
	PE("p=%C0%AF", "\"p\"=\"\\xc0\\xaf\"\n");
	PE("p=%FF", "\"p\"=\"\\xff\"\n");
	PE("a=%41%42", "\"a\"=\"AB\"\n");
	PE("%61=b", "\"a\"=\"b\"\n");
}
END_TEST

START_TEST(test_malformed_percent_literal)
{
	PE("a=%zz&b=1", "\"a\"=\"%zz\"\n\"b\"=\"1\"\n");
	PE("a=%", "\"a\"=\"%\"\n");
	PE("a=%4", "\"a\"=\"%4\"\n");
	PE("%", "\"%\"=\"\"\n");
	PE("%4", "\"%4\"=\"\"\n");
	PE("%zz", "\"%zz\"=\"\"\n");
	PE("a=%%41", "\"a\"=\"%A\"\n");
	PE("% 41", "\"% 41\"=\"\"\n");
	PE("a=%4g", "\"a\"=\"%4g\"\n");
	PE("a=%g4", "\"a\"=\"%g4\"\n");
	PE("a=%+1", "\"a\"=\"% 1\"\n");
	PE("a=%-1", "\"a\"=\"%-1\"\n");
	PE("a=%%", "\"a\"=\"%%\"\n");
	PE("a=%4&b", "\"a\"=\"%4\"\n\"b\"=\"\"\n");
	PE("a%=b", "\"a%\"=\"b\"\n");
}
END_TEST

START_TEST(test_semicolon_not_separator)
{
	PE("a=1;b=2", "\"a\"=\"1;b=2\"\n");
	PE("x=y;id=evil&id=good", "\"x\"=\"y;id=evil\"\n\"id\"=\"good\"\n");
}
END_TEST

START_TEST(test_case_and_duplicates)
{
	PE("a=1&a=2&A=3", "\"a\"=\"1\"\n\"a\"=\"2\"\n\"A\"=\"3\"\n");
}
END_TEST

START_TEST(test_nul_is_malformed)
{
	PERR("%00", RSP_EBADREQ);
	PERR("a=%00", RSP_EBADREQ);
	PERR("a=b%00c", RSP_EBADREQ);
	PERR("ok=1&a%00=b", RSP_EBADREQ);
	PERR("a=1\0&b=2", RSP_EBADREQ); /* a raw NUL byte */
	PERR("\0", RSP_EBADREQ);
	/* %0 followed by a non-hex digit is literal, not NUL */
	PE("a=%0g", "\"a\"=\"%0g\"\n");
}
END_TEST

START_TEST(test_pair_limit)
{
	parse_expect("a&b&c", 5, 3, RSP_OK,
	    "\"a\"=\"\"\n\"b\"=\"\"\n\"c\"=\"\"\n");
	parse_expect("a&b&c&d", 7, 3, RSP_ELIMIT, NULL);
	/* empty sequences do not count */
	parse_expect("a&&&b&&&c&&&", 12, 3, RSP_OK,
	    "\"a\"=\"\"\n\"b\"=\"\"\n\"c\"=\"\"\n");
	/* the limit wins over a NUL that comes after it */
	/* malformed wins over the limit */
	parse_expect("a&b&c&d%00", 10, 3, RSP_EBADREQ, NULL);
	ck_assert_int_eq(rsp__urlencoded_judge("a&b&c&d%00", 10, 3),
	    RSP_EBADREQ);
}
END_TEST

/* Every input ends exactly before a PROT_NONE page. */
START_TEST(test_page_boundary)
{
	static const char *const inputs[] = {
		"%",
		"%4",
		"a=%",
		"a=%4",
		"a=%41",
		"a=",
		"a",
		"&",
		"a&",
		"=",
		"+",
		"a=+",
		"%zz",
		"a=b&c=%",
		"%%",
		"a=1&b=2&c=%2",
		"%2B%2",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		size_t len = strlen(inputs[i]);
		struct guard g = guard_place(inputs[i], len);
		struct rsp__arena a;
		struct rsp__pairs p;
		rsp__arena_init(&a);
		ck_rc(rsp__urlencoded_parse(&a, g.p, len, 1000, &p), RSP_OK);
		rsp__arena_free(&a);
		guard_free(&g);
	}
	/* A full page of input ending in "%4". */
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *big = malloc(pg);
	memset(big, 'x', pg);
	memcpy(big + pg - 4, "&a%4", 4);
	struct guard g = guard_place(big, pg);
	struct rsp__arena a;
	struct rsp__pairs p;
	rsp__arena_init(&a);
	ck_rc(rsp__urlencoded_parse(&a, g.p, pg, 1000, &p), RSP_OK);
	ck_assert_uint_eq(p.n, 2);
	ck_str(p.v[1].name, "a%4");
	ck_assert_uint_eq(p.v[0].nlen, pg - 4);
	rsp__arena_free(&a);
	guard_free(&g);
	free(big);
}
END_TEST

/* ---- the query string through the request -------------------------- */

static rsp_request *req_query(const char *q)
{
	char *e = tu_strdupf("QUERY_STRING=%s", q);
	char *env[] = { e, NULL };
	rsp_request *r = rsp_request_from_memory(env, NULL, 0);
	free(e);
	ck_assert_ptr_nonnull(r);
	return r;
}

START_TEST(test_query_lookup)
{
	rsp_request *r = req_query("a=1&a=2&A=3&b=x+y&c");
	const char *v[4] = { 0 };
	ck_str(rsp_request_query(r, "a"), "1");
	ck_str(rsp_request_query(r, "A"), "3");
	ck_str(rsp_request_query(r, "b"), "x y");
	ck_str(rsp_request_query(r, "c"), "");
	ck_str(rsp_request_query(r, "d"), NULL);
	ck_str(rsp_request_query(r, NULL), NULL);
	ck_assert_uint_eq(rsp_request_query_all(r, "a", v, 4), 2);
	ck_str(v[0], "1");
	ck_str(v[1], "2");
	ck_assert_ptr_null(v[2]);
	ck_assert_uint_eq(rsp_request_query_all(r, "a", v, 1), 2);
	ck_assert_uint_eq(rsp_request_query_all(r, "a", NULL, 0), 2);
	ck_assert_uint_eq(rsp_request_query_all(r, "zz", v, 4), 0);
	ck_rc(rsp_request_status(r), RSP_OK);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_query_next)
{
	rsp_request *r = req_query("x=1&&y&x=%41");
	size_t pos = 0;
	const char *n, *v;
	ck_assert(rsp_request_query_next(r, &pos, &n, &v));
	ck_str(n, "x");
	ck_str(v, "1");
	ck_assert(rsp_request_query_next(r, &pos, &n, &v));
	ck_str(n, "y");
	ck_str(v, "");
	ck_assert(rsp_request_query_next(r, &pos, &n, &v));
	ck_str(n, "x");
	ck_str(v, "A");
	ck_assert(!rsp_request_query_next(r, &pos, &n, &v));
	ck_assert(!rsp_request_query_next(r, &pos, &n, &v));
	rsp_request_free(r);
}
END_TEST

START_TEST(test_query_absent)
{
	char *env[] = { (char *)"REQUEST_METHOD=GET", NULL };
	rsp_request *r = rsp_request_from_memory(env, NULL, 0);
	size_t pos = 0;
	ck_str(rsp_request_query(r, "a"), NULL);
	ck_assert(!rsp_request_query_next(r, &pos, NULL, NULL));
	ck_rc(rsp_request_status(r), RSP_OK);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_query_bad_percent_is_literal)
{
	static const char *const cases[][2] = {
		{ "a=%zz", "%zz" },
		{ "a=%", "%" },
		{ "a=%4", "%4" },
		{ "a=+", " " },
		{ "a=%%41", "%A" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rsp_request *r = req_query(cases[i][0]);
		ck_str(rsp_request_query(r, "a"), cases[i][1]);
		ck_rc(rsp_request_status(r), RSP_OK);
		rsp_request_free(r);
	}
	rsp_request *r = req_query("+");
	ck_str(rsp_request_query(r, " "), "");
	rsp_request_free(r);
}
END_TEST

START_TEST(test_query_nul_malformed)
{
	static const char *const cases[] = { "%00", "a=%00", "a=1&b=x%00y",
		"%00=1" };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rsp_request *r = req_query(cases[i]);
		size_t pos = 0;
		ck_rc(rsp_request_status(r), RSP_EBADREQ);
		ck_str(rsp_request_query(r, "a"), NULL);
		ck_assert_uint_eq(rsp_request_query_all(r, "a", NULL, 0), 0);
		ck_assert(!rsp_request_query_next(r, &pos, NULL, NULL));
		rsp_request_free(r);
	}
}
END_TEST

START_TEST(test_query_200000_params)
{
	size_t n = 200000;
	char *q = malloc(n * 2);
	for (size_t i = 0; i < n; i++) {
		q[2 * i] = 'a';
		q[2 * i + 1] = '&';
	}
	q[2 * n - 1] = '\0';
	/* within max_query so that the parameter limit is what trips */
	struct rsp_limits lim = { .max_query = 1 << 20 };
	char *e = tu_strdupf("QUERY_STRING=%s", q);
	char *env[] = { e, NULL };
	rsp_request *r = rsp_request_from_memory_with(env, NULL, 0, &lim);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	ck_str(rsp_request_query(r, "a"), NULL);
	ck_assert_uint_eq(rsp_request_query_all(r, "a", NULL, 0), 0);
	rsp_request_free(r);
	/* with the default limits the length cap trips first: still ELIMIT */
	r = rsp_request_from_memory(env, NULL, 0);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	rsp_request_free(r);
	free(e);
	free(q);
}
END_TEST

START_TEST(test_query_param_limit_exact)
{
	struct rsp_buffer b = { 0 };
	for (int i = 0; i < 1000; i++) {
		char item[16];
		int l =
		    snprintf(item, sizeof item, "%sk%d=%d", i ? "&" : "", i, i);
		rsp__buf_append(&b, item, (size_t)l);
	}
	rsp__buf_append(&b, "", 1);
	rsp_request *r = req_query(b.data);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_str(rsp_request_query(r, "k999"), "999");
	ck_str(rsp_request_query(r, "k0"), "0");
	rsp_request_free(r);
	b.len--;
	rsp__buf_append(&b, "&x", 3);
	r = req_query(b.data);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	ck_str(rsp_request_query(r, "k0"), NULL);
	rsp_request_free(r);
	/* configurable */
	struct rsp_limits lim = { .max_params = 2 };
	char *env[] = { (char *)"QUERY_STRING=a&b&c", NULL };
	r = rsp_request_from_memory_with(env, NULL, 0, &lim);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	rsp_request_free(r);
	rsp_buffer_free(&b);
}
END_TEST

START_TEST(test_query_1mib)
{
	size_t n = 1 << 20;
	char *q = malloc(n + 1);
	memcpy(q, "a=", 2);
	memset(q + 2, 'x', n - 2);
	q[n] = '\0';
	rsp_request *r = req_query(q);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	ck_str(rsp_request_query(r, "a"), NULL);
	rsp_request_free(r);
	/* exactly the default cap (64 KiB) is fine, one more byte is not */
	q[65536] = '\0';
	r = req_query(q);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_assert_uint_eq(strlen(rsp_request_query(r, "a")), 65534);
	rsp_request_free(r);
	q[65536] = 'x';
	q[65537] = '\0';
	r = req_query(q);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	rsp_request_free(r);
	/* a raised cap parses the whole MiB */
	q[65537] = 'x';
	struct rsp_limits lim = { .max_query = 2 << 20 };
	char *e = tu_strdupf("QUERY_STRING=%s", q);
	char *env[] = { e, NULL };
	r = rsp_request_from_memory_with(env, NULL, 0, &lim);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_assert_uint_eq(strlen(rsp_request_query(r, "a")), n - 2);
	rsp_request_free(r);
	free(e);
	free(q);
}
END_TEST

/* ---- urlencoded bodies ---------------------------------------------- */

static rsp_request *req_form(const char *ct, const char *cl, const void *body,
    size_t len)
{
	char *c1 = tu_strdupf("CONTENT_TYPE=%s", ct);
	char *c2 = cl ? tu_strdupf("CONTENT_LENGTH=%s", cl) : NULL;
	char *env[] = { (char *)"REQUEST_METHOD=POST", c1, c2, NULL };
	rsp_request *r = rsp_request_from_memory(env, body, len);
	free(c1);
	free(c2);
	ck_assert_ptr_nonnull(r);
	return r;
}

START_TEST(test_form_body)
{
	const char body[] = "name=J%C3%BCrgen+K&tags=a&tags=b&empty=&flag";
	char cl[16];
	snprintf(cl, sizeof cl, "%zu", sizeof body - 1);
	rsp_request *r = req_form("application/x-www-form-urlencoded", cl, body,
	    sizeof body - 1);
	const char *v[3];
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_str(rsp_request_form(r, "name"), "J\xc3\xbcrgen K");
	ck_str(rsp_request_form(r, "empty"), "");
	ck_str(rsp_request_form(r, "flag"), "");
	ck_str(rsp_request_form(r, "nope"), NULL);
	ck_assert_uint_eq(rsp_request_form_all(r, "tags", v, 3), 2);
	ck_str(v[0], "a");
	ck_str(v[1], "b");
	ck_assert_ptr_null(rsp_request_upload(r, "name"));
	size_t pos = 0, count = 0;
	const char *n, *val;
	while (rsp_request_form_next(r, &pos, &n, &val))
		count++;
	ck_assert_uint_eq(count, 5);
	const void *d;
	size_t len;
	ck_ok(rsp_request_body(r, &d, &len));
	ck_bytes(d, len, body, sizeof body - 1);
	/* the query is separate */
	ck_str(rsp_request_query(r, "name"), NULL);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_form_content_type_variants)
{
	static const char *const cts[] = {
		"APPLICATION/X-WWW-FORM-URLENCODED ; charset=UTF-8",
		"application/x-www-form-urlencoded;charset=utf-8",
		"application/x-www-form-urlencoded",
		" application/x-www-form-urlencoded ",
	};
	for (size_t i = 0; i < sizeof cts / sizeof cts[0]; i++) {
		rsp_request *r = req_form(cts[i], "3", "a=1", 3);
		ck_rc(rsp_request_status(r), RSP_OK);
		ck_str(rsp_request_form(r, "a"), "1");
		rsp_request_free(r);
	}
	/* not a form type: the body is only raw bytes */
	static const char *const other[] = {
		"application/x-www-form-urlencodedx",
		"text/plain",
		"application/json",
		"application/x-www-form",
	};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		rsp_request *r = req_form(other[i], "3", "a=1", 3);
		ck_rc(rsp_request_status(r), RSP_OK);
		ck_str(rsp_request_form(r, "a"), NULL);
		rsp_request_free(r);
	}
}
END_TEST

START_TEST(test_form_reads_only_content_length)
{
	rsp_request *r =
	    req_form("application/x-www-form-urlencoded", "3", "a=1&b=2", 7);
	ck_str(rsp_request_form(r, "a"), "1");
	ck_str(rsp_request_form(r, "b"), NULL);
	const void *d;
	size_t len;
	ck_ok(rsp_request_body(r, &d, &len));
	ck_bytes(d, len, "a=1", 3);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_form_nul_malformed)
{
	/* 61 3d 31 00 26 62 3d 32 */
	rsp_request *r =
	    req_form("application/x-www-form-urlencoded", "7", "a=1\0&b=2", 8);
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	ck_str(rsp_request_form(r, "a"), NULL);
	ck_str(rsp_request_form(r, "b"), NULL);
	size_t pos = 0;
	ck_assert(!rsp_request_form_next(r, &pos, NULL, NULL));
	rsp_request_free(r);
	r = req_form("application/x-www-form-urlencoded", "9", "a=1&b=%00", 9);
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	ck_str(rsp_request_form(r, "a"), NULL);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_form_param_limit)
{
	size_t n = 200000;
	char *b = malloc(n * 2);
	for (size_t i = 0; i < n; i++) {
		b[2 * i] = 'a';
		b[2 * i + 1] = '&';
	}
	char cl[16];
	snprintf(cl, sizeof cl, "%zu", n * 2);
	rsp_request *r =
	    req_form("application/x-www-form-urlencoded", cl, b, n * 2);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	ck_str(rsp_request_form(r, "a"), NULL);
	rsp_request_free(r);
	free(b);
}
END_TEST

START_TEST(test_form_short_body)
{
	rsp_request *r =
	    req_form("application/x-www-form-urlencoded", "100", "a=1&b=2", 7);
	ck_str(rsp_request_form(r, "a"), NULL);
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	const void *d = (const void *)1;
	size_t len = 99;
	ck_rc(rsp_request_body(r, &d, &len), RSP_EBADREQ);
	ck_assert_ptr_null(d);
	ck_assert_uint_eq(len, 0);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_form_empty_and_absent)
{
	rsp_request *r =
	    req_form("application/x-www-form-urlencoded", "0", "", 0);
	size_t pos = 0;
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_assert(!rsp_request_form_next(r, &pos, NULL, NULL));
	rsp_request_free(r);
	/* CONTENT_LENGTH absent: no body, even if stdin has bytes */
	r = req_form("application/x-www-form-urlencoded", NULL, "a=1", 3);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_str(rsp_request_form(r, "a"), NULL);
	rsp_request_free(r);
	r = req_form("application/x-www-form-urlencoded", "", "a=1", 3);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_str(rsp_request_form(r, "a"), NULL);
	rsp_request_free(r);
}
END_TEST

/* A spilled (mapped) urlencoded body parses the same as an in-memory one. */
START_TEST(test_form_spilled)
{
	size_t n = 300000;
	struct rsp_buffer b = { 0 };
	rsp__buf_append(&b, "first=1&big=", 12);
	for (size_t i = 0; i < n; i++)
		rsp__buf_append(&b, "%41", 3);
	rsp__buf_append(&b, "&last=%7E", 9);
	char cl[24];
	snprintf(cl, sizeof cl, "%zu", b.len);
	struct rsp_limits lim = { .spill_threshold = 4096 };
	char *c2 = tu_strdupf("CONTENT_LENGTH=%s", cl);
	char *env[] = { (char *)"REQUEST_METHOD=POST",
		(char *)"CONTENT_TYPE=application/x-www-form-urlencoded", c2,
		NULL };
	rsp_request *r = rsp_request_from_memory_with(env, b.data, b.len, &lim);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_str(rsp_request_form(r, "first"), "1");
	ck_str(rsp_request_form(r, "last"), "~");
	const char *big = rsp_request_form(r, "big");
	ck_assert_uint_eq(strlen(big), n);
	ck_assert(big[0] == 'A' && big[n - 1] == 'A');
	rsp_request_free(r);
	free(c2);
	rsp_buffer_free(&b);
}
END_TEST

static Suite *urlencoded_suite(void)
{
	Suite *s = suite_create("urlencoded");
	TCase *tc = tcase_create("parser");
	tcase_add_test(tc, test_basic_pairs);
	tcase_add_test(tc, test_empty_sequences_skipped);
	tcase_add_test(tc, test_plus_and_percent);
	tcase_add_test(tc, test_malformed_percent_literal);
	tcase_add_test(tc, test_semicolon_not_separator);
	tcase_add_test(tc, test_case_and_duplicates);
	tcase_add_test(tc, test_nul_is_malformed);
	tcase_add_test(tc, test_pair_limit);
	tcase_add_test(tc, test_page_boundary);
	suite_add_tcase(s, tc);

	tc = tcase_create("query");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_query_lookup);
	tcase_add_test(tc, test_query_next);
	tcase_add_test(tc, test_query_absent);
	tcase_add_test(tc, test_query_bad_percent_is_literal);
	tcase_add_test(tc, test_query_nul_malformed);
	tcase_add_test(tc, test_query_200000_params);
	tcase_add_test(tc, test_query_param_limit_exact);
	tcase_add_test(tc, test_query_1mib);
	suite_add_tcase(s, tc);

	tc = tcase_create("form");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_form_body);
	tcase_add_test(tc, test_form_content_type_variants);
	tcase_add_test(tc, test_form_reads_only_content_length);
	tcase_add_test(tc, test_form_nul_malformed);
	tcase_add_test(tc, test_form_param_limit);
	tcase_add_test(tc, test_form_short_body);
	tcase_add_test(tc, test_form_empty_and_absent);
	tcase_add_test(tc, test_form_spilled);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(urlencoded_suite());
}
