/* check_jsonw.c - the streaming JSON writer: exact bytes for call sequences,
 * every misuse refused with nothing written, doubles that round-trip, and
 * the content and stream modes over a response. */
#include "testutil.h"

#include <float.h>
#include <math.h>
#include <stdint.h>

/*
 * A call sequence, one character per call:
 *   { } [ ]  object/array begin/end     k  key "k"     K  key "a\"b"
 *   s  string "v"   S  string "\xc3\xa9\n"   i  int 42   m  int INT64_MIN
 *   d  double 0.5   N  double NaN   I  double +Inf   t/f  bools   n  null
 *   r  raw "[1,2]"  e  end
 */
static int op(rsp_jsonw *j, char c)
{
	switch (c) {
	case '{':
		return rsp_jsonw_object_begin(j);
	case '}':
		return rsp_jsonw_object_end(j);
	case '[':
		return rsp_jsonw_array_begin(j);
	case ']':
		return rsp_jsonw_array_end(j);
	case 'k':
		return rsp_jsonw_key(j, "k", -1);
	case 'K':
		return rsp_jsonw_key(j, "a\"b", 3);
	case 's':
		return rsp_jsonw_string(j, "v", -1);
	case 'S':
		return rsp_jsonw_string(j, "\xc3\xa9\n", -1);
	case 'i':
		return rsp_jsonw_int(j, 42);
	case 'm':
		return rsp_jsonw_int(j, INT64_MIN);
	case 'd':
		return rsp_jsonw_double(j, 0.5);
	case 'N':
		return rsp_jsonw_double(j, NAN);
	case 'I':
		return rsp_jsonw_double(j, INFINITY);
	case 't':
		return rsp_jsonw_bool(j, true);
	case 'f':
		return rsp_jsonw_bool(j, false);
	case 'n':
		return rsp_jsonw_null(j);
	case 'r':
		return rsp_jsonw_raw(j, "[1,2]", -1);
	case 'e':
		return rsp_jsonw_end(j);
	}
	ck_abort_msg("unknown op %c", c);
	return 0;
}

static const struct good {
	const char *ops;
	const char *out;
} goods[] = {
	{ "ie", "42" },
	{ "me", "-9223372036854775808" },
	{ "se", "\"v\"" },
	{ "Se", "\"\\u00e9\\n\"" },
	{ "de", "0.5" },
	{ "te", "true" },
	{ "fe", "false" },
	{ "ne", "null" },
	{ "re", "[1,2]" },
	{ "{}e", "{}" },
	{ "[]e", "[]" },
	{ "[i]e", "[42]" },
	{ "[isdtfnr]e", "[42, \"v\", 0.5, true, false, null, [1,2]]" },
	{ "{ki}e", "{\"k\": 42}" },
	{ "{kiKs}e", "{\"k\": 42, \"a\\\"b\": \"v\"}" },
	{ "{k[]K{}}e", "{\"k\": [], \"a\\\"b\": {}}" },
	{ "[[[]]]e", "[[[]]]" },
	{ "[{}{}[]]e", "[{}, {}, []]" },
	{ "{k{k{ki}}}e", "{\"k\": {\"k\": {\"k\": 42}}}" },
	{ "[{ki}i]e", "[{\"k\": 42}, 42]" },
	{ "{kr}e", "{\"k\": [1,2]}" },
};

START_TEST(good_sequences)
{
	const struct good *g = &goods[_i];
	struct rsp_buffer b = { 0 };
	rsp_jsonw *j = rsp_jsonw_new_buffer(&b);
	ck_assert_ptr_nonnull(j);
	for (const char *c = g->ops; *c; c++)
		ck_assert_msg(op(j, *c) == RSP_OK, "%s: op %c refused: %s",
		    g->ops, *c, rsp_jsonw_reason(j));
	ck_assert_msg(b.len == strlen(g->out) &&
	        memcmp(b.data, g->out, b.len) == 0,
	    "%s: got %.*s", g->ops, (int)b.len, b.data);
	rsp_jsonw_free(j);
	rsp_buffer_free(&b);
}
END_TEST

/* Misuse: the prefix succeeds, the last call is refused and writes nothing. */
static const struct bad {
	const char *ops;
	int rc;
	const char *reason;
} bads[] = {
	{ "k", RSP_ESTATE, "a key outside an object" },
	{ "[k", RSP_ESTATE, "a key outside an object" },
	{ "{kk", RSP_ESTATE, "a key where a value is due" },
	{ "{i", RSP_ESTATE, "a value where a key is due" },
	{ "{s", RSP_ESTATE, "a value where a key is due" },
	{ "{[", RSP_ESTATE, "a value where a key is due" },
	{ "{{", RSP_ESTATE, "a value where a key is due" },
	{ "{kit", RSP_ESTATE, "a value where a key is due" },
	{ "{r", RSP_ESTATE, "a value where a key is due" },
	{ "{n", RSP_ESTATE, "a value where a key is due" },
	{ "{d", RSP_ESTATE, "a value where a key is due" },
	{ "}", RSP_ESTATE, "object end without an open object" },
	{ "]", RSP_ESTATE, "array end without an open array" },
	{ "[}", RSP_ESTATE, "object end while an array is open" },
	{ "{]", RSP_ESTATE, "array end while an object is open" },
	{ "{k}", RSP_ESTATE, "object end after a key without its value" },
	{ "{k]", RSP_ESTATE, "array end while an object is open" },
	{ "[]]", RSP_ESTATE, "array end without an open array" },
	{ "{}}", RSP_ESTATE, "object end without an open object" },
	{ "ii", RSP_ESTATE, "the document is already complete" },
	{ "[]i", RSP_ESTATE, "the document is already complete" },
	{ "{}[", RSP_ESTATE, "the document is already complete" },
	{ "sk", RSP_ESTATE, "a key outside an object" },
	{ "e", RSP_ESTATE, "no value was written" },
	{ "[e", RSP_ESTATE, "an object or array is still open" },
	{ "{ke", RSP_ESTATE, "an object or array is still open" },
	{ "N", RSP_EINVAL, "NaN and infinities have no JSON form" },
	{ "I", RSP_EINVAL, "NaN and infinities have no JSON form" },
	{ "[iN", RSP_EINVAL, "NaN and infinities have no JSON form" },
	{ "{kN", RSP_EINVAL, "NaN and infinities have no JSON form" },
};

START_TEST(misuse_refused)
{
	const struct bad *t = &bads[_i];
	struct rsp_buffer b = { 0 };
	rsp_jsonw *j = rsp_jsonw_new_buffer(&b);
	size_t n = strlen(t->ops);
	for (size_t i = 0; i + 1 < n; i++)
		ck_assert_msg(op(j, t->ops[i]) == RSP_OK,
		    "%s: prefix op %zu refused", t->ops, i);
	size_t before = b.len;
	char *copy = before ? tu_strdupf("%.*s", (int)before, b.data) : NULL;
	int rc = op(j, t->ops[n - 1]);
	ck_assert_msg(rc == t->rc, "%s: got %d, expected %d", t->ops, rc,
	    t->rc);
	ck_assert_str_eq(rsp_jsonw_reason(j), t->reason);
	ck_assert_uint_eq(b.len, before);
	if (copy)
		ck_assert(memcmp(copy, b.data, before) == 0);
	free(copy);
	rsp_jsonw_free(j);
	rsp_buffer_free(&b);
}
END_TEST

/* After a refused call the writer goes on where it was. */
START_TEST(refusal_keeps_state)
{
	struct rsp_buffer b = { 0 };
	rsp_jsonw *j = rsp_jsonw_new_buffer(&b);
	ck_ok(rsp_jsonw_object_begin(j));
	ck_ok(rsp_jsonw_key(j, "x", -1));
	ck_rc(rsp_jsonw_key(j, "y", -1), RSP_ESTATE);
	ck_rc(rsp_jsonw_double(j, NAN), RSP_EINVAL);
	ck_ok(rsp_jsonw_int(j, -7));
	ck_rc(rsp_jsonw_int(j, 1), RSP_ESTATE);
	ck_ok(rsp_jsonw_object_end(j));
	ck_ok(rsp_jsonw_end(j));
	ck_assert_int_eq((int)b.len, 9);
	ck_assert(memcmp(b.data, "{\"x\": -7}", 9) == 0);
	rsp_jsonw_free(j);
	rsp_buffer_free(&b);
}
END_TEST

START_TEST(depth_limit)
{
	struct rsp_buffer b = { 0 };
	rsp_jsonw *j = rsp_jsonw_new_buffer(&b);
	for (int i = 0; i < 64; i++)
		ck_ok(rsp_jsonw_array_begin(j));
	size_t before = b.len;
	ck_rc(rsp_jsonw_array_begin(j), RSP_ELIMIT);
	ck_rc(rsp_jsonw_object_begin(j), RSP_ELIMIT);
	ck_assert_uint_eq(b.len, before);
	for (int i = 0; i < 64; i++)
		ck_ok(rsp_jsonw_array_end(j));
	ck_ok(rsp_jsonw_end(j));
	rsp_jsonw_free(j);
	rsp_buffer_free(&b);
}
END_TEST

START_TEST(null_arguments)
{
	struct rsp_buffer b = { 0 };
	ck_assert_ptr_null(rsp_jsonw_new_buffer(NULL));
	ck_assert_ptr_null(rsp_jsonw_new(NULL, RSP_JSONW_CONTENT));
	ck_rc(rsp_jsonw_int(NULL, 1), RSP_EINVAL);
	ck_rc(rsp_jsonw_end(NULL), RSP_EINVAL);
	rsp_jsonw *j = rsp_jsonw_new_buffer(&b);
	ck_rc(rsp_jsonw_string(j, NULL, 3), RSP_EINVAL);
	ck_rc(rsp_jsonw_raw(j, NULL, 0), RSP_EINVAL);
	ck_rc(rsp_jsonw_raw(j, "", -1), RSP_EINVAL);
	ck_ok(rsp_jsonw_string(j, NULL, 0));
	ck_assert(b.len == 2 && memcmp(b.data, "\"\"", 2) == 0);
	ck_assert_str_eq(rsp_jsonw_reason(NULL), "");
	rsp_jsonw_free(j);
	rsp_jsonw_free(NULL);
	rsp_buffer_free(&b);
}
END_TEST

/* Doubles: exact texts, and every printed value reads back bit for bit. */
static const struct dbl {
	double v;
	const char *out;
} dbls[] = {
	{ 0.0, "0.0" },
	{ -0.0, "-0.0" },
	{ 1.0, "1.0" },
	{ -2.5, "-2.5" },
	{ 0.1, "0.1" },
	{ 1.0 / 3, "0.3333333333333333" },
	{ 1e300, "1e+300" },
	{ 5e-324, "4.94065645841247e-324" },
	{ DBL_MAX, "1.7976931348623157e+308" },
	{ 123456789.0, "123456789.0" },
	{ 0.30000000000000004, "0.30000000000000004" },
	{ 1e-7, "1e-07" },
};

START_TEST(doubles_exact)
{
	char buf[32];
	struct rsp_buffer b = { 0 };
	rsp_jsonw *j = rsp_jsonw_new_buffer(&b);
	ck_ok(rsp_jsonw_double(j, dbls[_i].v));
	snprintf(buf, sizeof(buf), "%.*s", (int)b.len, b.data);
	ck_assert_str_eq(buf, dbls[_i].out);
	rsp_jsonw_free(j);
	rsp_buffer_free(&b);
}
END_TEST

START_TEST(doubles_round_trip)
{
	uint64_t x = 0x9E3779B97F4A7C15ull;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		double v;
		memcpy(&v, &x, sizeof(v));
		if (!isfinite(v))
			continue;
		struct rsp_buffer b = { 0 };
		rsp_jsonw *j = rsp_jsonw_new_buffer(&b);
		ck_ok(rsp_jsonw_double(j, v));
		char *s = tu_strdupf("%.*s", (int)b.len, b.data);
		double back = strtod(s, NULL);
		ck_assert_msg(memcmp(&back, &v, sizeof(v)) == 0,
		    "%s does not read back", s);
		free(s);
		rsp_jsonw_free(j);
		rsp_buffer_free(&b);
	}
}
END_TEST

/* ---- over a response ------------------------------------------------------ */

START_TEST(content_mode)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_jsonw *j = rsp_jsonw_new(t->res, RSP_JSONW_CONTENT);
	ck_assert_ptr_nonnull(j);
	ck_ok(rsp_jsonw_array_begin(j));
	ck_ok(rsp_jsonw_int(j, 1));
	ck_ok(rsp_jsonw_string(j, "two", -1));
	ck_rc(rsp_jsonw_end(j), RSP_ESTATE);
	ck_ok(rsp_jsonw_array_end(j));
	ck_ok(rsp_jsonw_end(j));
	ck_ok(rsp_set_status(t->res, 201, NULL));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 201 Created\r\nContent-Type: application/json\r\n"
	    "Content-Length: 10\r\n\r\n[1, \"two\"]");
	tu_free(t);
}
END_TEST

START_TEST(stream_mode)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_jsonw *j = rsp_jsonw_new(t->res, RSP_JSONW_STREAM);
	ck_ok(rsp_jsonw_array_begin(j));
	for (int i = 0; i < 5000; i++)
		ck_ok(rsp_jsonw_int(j, i));
	/* Large arrays leave before the end. */
	ck_assert_uint_gt(t->buf.len, 8000);
	ck_ok(rsp_jsonw_array_end(j));
	ck_ok(rsp_jsonw_end(j));
	ck_ok(rsp_finish(t->res));
	const char *head =
	    "Status: 200 OK\r\nContent-Type: application/json\r\n\r\n[0, 1, 2, ";
	ck_assert(t->buf.len > strlen(head) &&
	    memcmp(t->buf.data, head, strlen(head)) == 0);
	ck_assert(memcmp(t->buf.data + t->buf.len - 11, "4998, 4999]", 11) ==
	    0);
	tu_free(t);
}
END_TEST

START_TEST(stream_mode_head)
{
	struct tu *t = tu_method("HEAD", RSP_CGI);
	rsp_jsonw *j = rsp_jsonw_new(t->res, RSP_JSONW_STREAM);
	ck_ok(rsp_jsonw_array_begin(j));
	ck_ok(rsp_jsonw_null(j));
	ck_ok(rsp_jsonw_array_end(j));
	ck_ok(rsp_jsonw_end(j));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nContent-Type: application/json\r\n\r\n");
	tu_free(t);
}
END_TEST

START_TEST(set_json)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_headers_set(t->res->headers, "Location", "/items/3"));
	ck_rc(rsp_set_json(t->res, 201, NULL, 0), RSP_EINVAL);
	ck_rc(rsp_set_json(t->res, 201, "", -1), RSP_EINVAL);
	ck_rc(rsp_set_json(t->res, 99, "{}", -1), RSP_EINVAL);
	ck_ok(rsp_set_json(t->res, 201, "{\"id\": 3}", -1));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 201 Created\r\nLocation: /items/3\r\n"
	    "Content-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"id\": 3}");
	tu_free(t);
}
END_TEST

/* rsp_set_error is built on the writer; its bytes are json.dumps's. */
START_TEST(set_error_bytes)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_error(t->res, 404, "no \"item\" \xc3\xa9"));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 404 Not Found\r\nContent-Type: application/json\r\n"
	    "Content-Length: 57\r\n\r\n"
	    "{\"error\": {\"code\": 404, \"message\": \"no \\\"item\\\" \\u00e9\"}}");
	tu_free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsonw");
	TCase *tc = tcase_create("sequences");
	tcase_add_loop_test(tc, good_sequences, 0,
	    (int)(sizeof(goods) / sizeof(goods[0])));
	tcase_add_loop_test(tc, misuse_refused, 0,
	    (int)(sizeof(bads) / sizeof(bads[0])));
	tcase_add_test(tc, refusal_keeps_state);
	tcase_add_test(tc, depth_limit);
	tcase_add_test(tc, null_arguments);
	suite_add_tcase(s, tc);
	tc = tcase_create("doubles");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, doubles_exact, 0,
	    (int)(sizeof(dbls) / sizeof(dbls[0])));
	tcase_add_test(tc, doubles_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("response");
	tcase_add_test(tc, content_mode);
	tcase_add_test(tc, stream_mode);
	tcase_add_test(tc, stream_mode_head);
	tcase_add_test(tc, set_json);
	tcase_add_test(tc, set_error_bytes);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
