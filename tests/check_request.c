/* check_request.c - the request object: variables, headers, method,
 * CONTENT_LENGTH and the body, limits, cookies, HTTP Basic credentials,
 * status ranking, the FastCGI reader constructor, detach and reset. */
#include "requtil.h"

#include <pthread.h>

static rsp_request *req_env(char *const *env)
{
	rsp_request *r = rsp_request_from_memory(env, NULL, 0);
	ck_assert_ptr_nonnull(r);
	return r;
}

/* ---- method, params, headers ----------------------------------------- */

START_TEST(test_method_default)
{
	char *env[] = { (char *)"QUERY_STRING=a=1", NULL };
	rsp_request *r = req_env(env);
	ck_str(rsp_request_method(r), "GET");
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_str(rsp_request_query(r, "a"), "1");
	rsp_request_free(r);
	r = rsp_request_from_memory(NULL, NULL, 0);
	ck_str(rsp_request_method(r), "GET");
	ck_rc(rsp_request_status(r), RSP_OK);
	rsp_request_free(r);
	r = rsp_request_new(NULL, -1);
	ck_str(rsp_request_method(r), "GET");
	ck_rc(rsp_request_status(r), RSP_OK);
	rsp_request_free(r);
	/* a NULL request reads as a GET with nothing */
	ck_str(rsp_request_method(NULL), "GET");
	ck_str(rsp_request_param(NULL, "A"), NULL);
	ck_str(rsp_request_header(NULL, "A"), NULL);
	ck_str(rsp_request_query(NULL, "A"), NULL);
	ck_str(rsp_request_cookie(NULL, "A"), NULL);
	ck_str(rsp_request_form(NULL, "A"), NULL);
	ck_assert_ptr_null(rsp_request_upload(NULL, "A"));
	ck_rc(rsp_request_status(NULL), RSP_OK);
	ck_rc(rsp_request_auth(NULL, NULL, NULL), RSP_EINVAL);
	rsp_request_free(NULL);
}
END_TEST

START_TEST(test_method_values)
{
	static const char *const ok[] = { "GET", "POST", "HEAD", "PUT", "get",
		"M-SEARCH" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char *e = tu_strdupf("REQUEST_METHOD=%s", ok[i]);
		char *env[] = { e, NULL };
		rsp_request *r = req_env(env);
		free(e);
		ck_str(rsp_request_method(r), ok[i]); /* case kept */
		ck_rc(rsp_request_status(r), RSP_OK);
		rsp_request_free(r);
	}
	/* empty is unset (RFC 3875 4.1): GET */
	char *empty[] = { (char *)"REQUEST_METHOD=", NULL };
	rsp_request *r0 = req_env(empty);
	ck_str(rsp_request_method(r0), "GET");
	ck_rc(rsp_request_status(r0), RSP_OK);
	rsp_request_free(r0);
	static const char *const bad[] = { "GET ", "G\x01T", "GET\r\nX: y",
		"G T" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *e = tu_strdupf("REQUEST_METHOD=%s", bad[i]);
		char *env[] = { e, NULL };
		rsp_request *r = req_env(env);
		free(e);
		ck_str(rsp_request_method(r), bad[i]); /* raw */
		ck_rc(rsp_request_status(r), RSP_EBADREQ);
		rsp_request_free(r);
	}
}
END_TEST

START_TEST(test_params)
{
	char *env[] = { (char *)"REQUEST_METHOD=GET",
		(char *)"SERVER_PROTOCOL=HTTP/1.1",
		(char *)"PATH_INFO=/../../etc/passwd",
		(char *)"EMPTY=", (char *)"EQ=a=b", (char *)"NOEQUALS",
		(char *)"DUP=1", (char *)"DUP=2", NULL };
	rsp_request *r = req_env(env);
	ck_str(rsp_request_param(r, "SERVER_PROTOCOL"), "HTTP/1.1");
	ck_str(rsp_request_param(r, "PATH_INFO"), "/../../etc/passwd");
	ck_str(rsp_request_param(r, "EMPTY"), "");
	ck_str(rsp_request_param(r, "EQ"), "a=b");
	ck_str(rsp_request_param(r, "DUP"), "1");
	ck_str(rsp_request_param(r, "NOEQUALS"), NULL);
	ck_str(rsp_request_param(r, "server_protocol"), NULL); /* exact */
	ck_str(rsp_request_param(r, "SERVER"), NULL);
	ck_str(rsp_request_param(r, "EQ=a"), NULL);
	ck_str(rsp_request_param(r, ""), NULL);
	ck_str(rsp_request_param(r, NULL), NULL);

	size_t pos = 0;
	const char *n, *v;
	struct rsp_buffer b = { 0 };
	while (rsp_request_param_next(r, &pos, &n, &v)) {
		char *line = tu_strdupf("%s|%s\n", n, v);
		rsp__buf_append(&b, line, strlen(line));
		free(line);
	}
	const char exp[] =
	    "REQUEST_METHOD|GET\nSERVER_PROTOCOL|HTTP/1.1\n"
	    "PATH_INFO|/../../etc/passwd\nEMPTY|\nEQ|a=b\nDUP|1\nDUP|2\n";
	ck_bytes(b.data, b.len, exp, sizeof exp - 1);
	rsp_buffer_free(&b);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_env_copied)
{
	char e1[] = "HTTP_USER_AGENT=curl/8";
	char e2[] = "QUERY_STRING=a=1";
	char *env[] = { e1, e2, NULL };
	rsp_request *r = rsp_request_from_memory(env, NULL, 0);
	memset(e1, 'X', sizeof e1 - 1);
	memset(e2, 'Y', sizeof e2 - 1);
	env[0] = NULL;
	ck_str(rsp_request_header(r, "User-Agent"), "curl/8");
	ck_str(rsp_request_query(r, "a"), "1");
	rsp_request_free(r);
}
END_TEST

/* The variables the library indexes when a request starts, each by its
 * enum value, by name and (HTTP_*) by field name, as a search would find
 * them: the first of duplicates, names of the same length or with the same
 * start not mistaken for them.  Copied, borrowed and detached alike. */
static const struct {
	int var;
	const char *name, *field;
} known[] = {
	{ RSP__V_METHOD, "REQUEST_METHOD", NULL },
	{ RSP__V_PROTO, "SERVER_PROTOCOL", NULL },
	{ RSP__V_SCRIPT, "SCRIPT_NAME", NULL },
	{ RSP__V_SCRIPT_FILE, "SCRIPT_FILENAME", NULL },
	{ RSP__V_QUERY, "QUERY_STRING", NULL },
	{ RSP__V_CLEN, "CONTENT_LENGTH", "content-length" },
	{ RSP__V_CTYPE, "CONTENT_TYPE", "Content-Type" },
	{ RSP__V_URI, "REQUEST_URI", NULL },
	{ RSP__V_PATH_INFO, "PATH_INFO", NULL },
	{ RSP__V_REMOTE_ADDR, "REMOTE_ADDR", NULL },
	{ RSP__V_REMOTE_USER, "REMOTE_USER", NULL },
	{ RSP__V_COOKIE, "HTTP_COOKIE", "Cookie" },
	{ RSP__V_AUTH, "HTTP_AUTHORIZATION", "authorization" },
	{ RSP__V_IF_MATCH, "HTTP_IF_MATCH", "If-Match" },
	{ RSP__V_IF_NONE_MATCH, "HTTP_IF_NONE_MATCH", "if_none-MATCH" },
	{ RSP__V_IF_MODIFIED_SINCE, "HTTP_IF_MODIFIED_SINCE",
	    "If-Modified-Since" },
	{ RSP__V_IF_UNMODIFIED_SINCE, "HTTP_IF_UNMODIFIED_SINCE",
	    "If-Unmodified-Since" },
	{ RSP__V_RANGE, "HTTP_RANGE", "Range" },
	{ RSP__V_IF_RANGE, "HTTP_IF_RANGE", "If-Range" },
	{ RSP__V_REFERER, "HTTP_REFERER", "Referer" },
	{ RSP__V_USER_AGENT, "HTTP_USER_AGENT", "User-Agent" },
};

static void ck_index(const rsp_request *r, bool present)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		char *want = present ? tu_strdupf("v%zu", i) : NULL;
		ck_str(rsp__request_var(r, (enum rsp__var)known[i].var), want);
		ck_str(rsp_request_param(r, known[i].name), want);
		if (known[i].field != NULL)
			ck_str(rsp_request_header(r, known[i].field), want);
		free(want);
	}
}

START_TEST(test_env_index)
{
	ck_assert_uint_eq(sizeof(known) / sizeof(known[0]), RSP__V_N);
	/* decoys first: no '=', a prefix, a longer name, the same length */
	size_t n = 0, cap = 8 + 4 * RSP__V_N;
	char **env = calloc(cap, sizeof(*env));
	env[n++] = strdup("REQUEST_METHOD");
	env[n++] = strdup("HTTP_RANGEX=no");
	env[n++] = strdup("HTTP_IF_MATCH_=no");
	env[n++] = strdup("SERVER_SOFTWARE=no"); /* SERVER_PROTOCOL's length */
	env[n++] = strdup("REMOTE_PORT=no");     /* REMOTE_ADDR's length */
	env[n++] = strdup("HTTP_ACCEPT=no");     /* HTTP_COOKIE's length */
	for (size_t i = 0; i < RSP__V_N; i++) {
		env[n++] = tu_strdupf("%s=v%zu", known[i].name, i);
		env[n++] = tu_strdupf("%s=later", known[i].name);
		env[n++] = tu_strdupf("%s_=no", known[i].name);
		env[n++] = tu_strdupf("X%s=no", known[i].name);
	}
	env[n] = NULL;

	rsp_request *r = req_env(env); /* copied */
	ck_index(r, true);
	rsp_request_free(r);
	r = rsp__request_new_reader(env, NULL, NULL, NULL); /* borrowed */
	ck_index(r, true);
	ck_ok(rsp__request_detach(r)); /* then copied */
	ck_index(r, true);
	rsp_request_free(r);
	r = rsp__request_new_reader(env + 1, NULL, NULL, NULL);
	rsp__request_reset(r, env + n - 1, NULL, NULL,
	    NULL); /* "Xname=no" only */
	ck_index(r, false);
	rsp_request_free(r);
	for (size_t i = 0; i < n; i++)
		free(env[i]);
	free(env);
}
END_TEST

START_TEST(test_headers)
{
	char *env[] = { (char *)"HTTP_USER_AGENT=curl/8.0",
		(char *)"HTTP_X_FOO_BAR=baz",
		(char *)"HTTP_HOST=example.org:8080",
		(char *)"CONTENT_TYPE=text/plain", (char *)"CONTENT_LENGTH=",
		(char *)"HTTP_CONTENT_TYPE=text/plain",
		(char *)"HTTP_CONTENT_LENGTH=3",
		(char *)"HTTP_PROXY=http://attacker:8080",
		(char *)"HTTP_X_CTL=a\r\nb", (char *)"HTTP_=odd",
		(char *)"REMOTE_ADDR=127.0.0.1", NULL };
	rsp_request *r = req_env(env);
	ck_str(rsp_request_header(r, "User-Agent"), "curl/8.0");
	ck_str(rsp_request_header(r, "user-agent"), "curl/8.0");
	ck_str(rsp_request_header(r, "USER-AGENT"), "curl/8.0");
	ck_str(rsp_request_header(r, "User_Agent"), "curl/8.0");
	ck_str(rsp_request_header(r, "X-Foo-Bar"), "baz");
	ck_str(rsp_request_header(r, "Host"), "example.org:8080");
	ck_str(rsp_request_header(r, "Content-Type"), "text/plain");
	/* An empty CONTENT_LENGTH is unset (RFC 3875 §4.1); HTTP_CONTENT_*
	 * copies never stand in for CONTENT_*. */
	ck_str(rsp_request_header(r, "content-length"), NULL);
	ck_str(rsp_request_header(r, "Proxy"), "http://attacker:8080");
	ck_str(rsp_request_header(r, "X-Ctl"), "a\r\nb");   /* raw bytes */
	ck_str(rsp_request_header(r, "Remote-Addr"), NULL); /* not HTTP_ */
	ck_str(rsp_request_header(r, "User"), NULL);
	ck_str(rsp_request_header(r, "User-Agent-X"), NULL);
	ck_str(rsp_request_header(r, "Accept"), NULL);
	ck_str(rsp_request_header(r, ""), NULL);
	ck_str(rsp_request_header(r, "User Agent"), NULL); /* not a token */
	ck_str(rsp_request_header(r, "A=B"), NULL);
	ck_str(rsp_request_header(r, NULL), NULL);

	size_t pos = 0;
	const char *n, *v;
	struct rsp_buffer b = { 0 };
	while (rsp_request_header_next(r, &pos, &n, &v)) {
		char *line = tu_strdupf("%s: %s\n", n, v);
		rsp__buf_append(&b, line, strlen(line));
		free(line);
	}
	const char exp[] = "user-agent: curl/8.0\nx-foo-bar: baz\n"
	                   "host: example.org:8080\ncontent-type: text/plain\n"
	                   "proxy: http://attacker:8080\nx-ctl: a\r\nb\n";
	ck_bytes(b.data, b.len, exp, sizeof exp - 1);
	rsp_buffer_free(&b);
	rsp_request_free(r);
}
END_TEST

/* ---- CONTENT_LENGTH and the body -------------------------------------- */

static rsp_request *req_cl(const char *cl, const void *body, size_t len)
{
	char *e = cl ? tu_strdupf("CONTENT_LENGTH=%s", cl) : NULL;
	char *env[] = { (char *)"REQUEST_METHOD=POST", e, NULL };
	rsp_request *r = rsp_request_from_memory(env, body, len);
	free(e);
	ck_assert_ptr_nonnull(r);
	return r;
}

START_TEST(test_content_length_malformed)
{
	static const char *const bad[] = {
		"-1",
		"abc",
		"1e3",
		"+5",
		" 5",
		"5 ",
		"0x10",
		"5\n",
		"1.0",
		"99999999999999999999",
		"18446744073709551616",
		"18446744073709551615",
		"9223372036854775808",
		"12345678901234567890",
		"\xd9\xa5",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		rsp_request *r = req_cl(bad[i], "hello", 5);
		const void *d = (const void *)1;
		size_t len = 7;
		char *m = tu_escape(bad[i], strlen(bad[i]));
		ck_assert_msg(rsp_request_status(r) == RSP_EBADREQ,
		    "CONTENT_LENGTH=%s: status %d", m, rsp_request_status(r));
		ck_assert_msg(rsp_request_body(r, &d, &len) == RSP_EBADREQ,
		    "%s", m);
		ck_assert_ptr_null(d);
		ck_assert_uint_eq(len, 0);
		free(m);
		rsp_request_free(r);
	}
}
END_TEST

START_TEST(test_content_length_valid)
{
	const void *d;
	size_t len;
	rsp_request *r = req_cl("0005", "hello world", 11);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_ok(rsp_request_body(r, &d, &len));
	ck_bytes(d, len, "hello", 5);
	ck_assert_int_eq(((const char *)d)[5],
	    '\0'); /* heap bodies end in NUL */
	rsp_request_free(r);

	r = req_cl("0", "hello", 5);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_ok(rsp_request_body(r, &d, &len));
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(len, 0);
	rsp_request_free(r);

	static const char *const none[] = { NULL, "" };
	for (int i = 0; i < 2; i++) {
		r = req_cl(none[i], "hello", 5);
		ck_rc(rsp_request_status(r), RSP_OK);
		ck_ok(rsp_request_body(r, &d, &len));
		ck_assert_ptr_nonnull(d);
		ck_assert_uint_eq(len, 0);
		rsp_request_free(r);
	}
	/* NULL out-pointers are allowed */
	r = req_cl("2", "hi", 2);
	ck_ok(rsp_request_body(r, NULL, NULL));
	ck_ok(rsp_request_body(r, &d, NULL));
	ck_bytes(d, 2, "hi", 2);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_content_length_limit)
{
	/* over the limit: RSP_ELIMIT, and nothing is read */
	struct tr t = tr_make("abcdef", 6, 0);
	char *env[] = { (char *)"CONTENT_LENGTH=1073741824", NULL };
	rsp_request *r = rsp__request_new_reader(env, tr_read, &t, NULL);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	ck_rc(rsp_request_body(r, NULL, NULL), RSP_ELIMIT);
	ck_assert_uint_eq(t.calls, 0);
	rsp_request_free(r);

	char *env2[] = { (char *)"CONTENT_LENGTH=9223372036854775807", NULL };
	r = rsp__request_new_reader(env2, tr_read, &t, NULL);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	ck_assert_uint_eq(t.calls, 0);
	rsp_request_free(r);

	/* exactly the limit is fine, one more is not */
	struct rsp_limits lim = { .max_body = 5 };
	char *e5[] = { (char *)"CONTENT_LENGTH=5", NULL };
	char *e6[] = { (char *)"CONTENT_LENGTH=6", NULL };
	r = rsp_request_from_memory_with(e5, "abcdef", 6, &lim);
	ck_rc(rsp_request_status(r), RSP_OK);
	rsp_request_free(r);
	r = rsp_request_from_memory_with(e6, "abcdef", 6, &lim);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	rsp_request_free(r);

	/* default: 16 MiB */
	char *e16[] = { (char *)"CONTENT_LENGTH=16777217", NULL };
	t = tr_make("", 0, 0);
	r = rsp__request_new_reader(e16, tr_read, &t, NULL);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	ck_assert_uint_eq(t.calls, 0);
	rsp_request_free(r);
	char *e16ok[] = { (char *)"CONTENT_LENGTH=16777216", NULL };
	r = rsp__request_new_reader(e16ok, tr_read, &t, NULL);
	ck_rc(rsp_request_status(r), RSP_EBADREQ); /* allowed, but short */
	rsp_request_free(r);
}
END_TEST

START_TEST(test_max_body_env)
{
	char *env[] = { (char *)"CONTENT_LENGTH=100", NULL };
	setenv("RSP_MAX_BODY", "99", 1);
	rsp_request *r = rsp_request_from_memory(env, NULL, 0);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	rsp_request_free(r);
	setenv("RSP_MAX_BODY", "1k", 1);
	r = rsp_request_from_memory(env, NULL, 0);
	ck_rc(rsp_request_status(r), RSP_EBADREQ); /* short, not over */
	rsp_request_free(r);
	/* an explicit limit wins over the environment */
	struct rsp_limits lim = { .max_body = 50 };
	r = rsp_request_from_memory_with(env, NULL, 0, &lim);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	rsp_request_free(r);
	/* junk is ignored: the default applies */
	setenv("RSP_MAX_BODY", "lots", 1);
	struct rsp_limits out;
	rsp__limits_resolve(&out, NULL);
	ck_assert_uint_eq(out.max_body, 16u << 20);
	setenv("RSP_MAX_BODY", "2M", 1);
	rsp__limits_resolve(&out, NULL);
	ck_assert_uint_eq(out.max_body, 2u << 20);
	unsetenv("RSP_MAX_BODY");
	rsp__limits_resolve(&out, NULL);
	ck_assert_uint_eq(out.max_body, 16u << 20);
	ck_assert_uint_eq(out.max_query, 64u << 10);
	ck_assert_uint_eq(out.max_params, 1000);
	ck_assert_uint_eq(out.max_parts, 1000);
	ck_assert_uint_eq(out.max_part_header, 8u << 10);
	ck_assert_uint_eq(out.max_boundary, 70);
	ck_assert_uint_eq(out.max_cookie, 8u << 10);
	ck_assert_uint_eq(out.spill_threshold, 1u << 20);
}
END_TEST

START_TEST(test_body_shorter_than_declared)
{
	rsp_request *r = req_cl("100", "0123456789", 10);
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	ck_rc(rsp_request_body(r, NULL, NULL), RSP_EBADREQ);
	rsp_request_free(r);
	/* no body source at all */
	char *env[] = { (char *)"CONTENT_LENGTH=5", NULL };
	r = rsp_request_new(env, -1);
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	rsp_request_free(r);
	/* stdin closed */
	int fd = open("/dev/null", O_RDONLY);
	r = rsp_request_new(env, fd);
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	rsp_request_free(r);
	close(fd);
	/* short, and spilled */
	struct rsp_limits lim = { .spill_threshold = 4 };
	r = rsp_request_from_memory_with(env, "abc", 3, &lim);
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_body_read_error)
{
	struct tr t = tr_make("abcdef", 6, 1);
	t.fail_at = 2;
	char *env[] = { (char *)"CONTENT_LENGTH=6", NULL };
	rsp_request *r = rsp__request_new_reader(env, tr_read, &t, NULL);
	ck_rc(rsp_request_body(r, NULL, NULL), RSP_EIO);
	ck_rc(rsp_request_status(r), RSP_EIO);
	rsp_request_free(r);
}
END_TEST

/* Never read more than CONTENT_LENGTH bytes, through any source. */
START_TEST(test_body_never_over_read)
{
	static const char data[] = "a=1&b=2&c=3";
	for (size_t chunk = 0; chunk < 5; chunk++) {
		struct tr t = tr_make(data, sizeof data - 1, chunk);
		char *env[] = { (char *)"CONTENT_LENGTH=3",
			(char *)"CONTENT_TYPE=application/x-www-form-urlencoded",
			NULL };
		rsp_request *r =
		    rsp__request_new_reader(env, tr_read, &t, NULL);
		ck_rc(rsp_request_status(r), RSP_OK);
		ck_str(rsp_request_form(r, "a"), "1");
		ck_str(rsp_request_form(r, "b"), NULL);
		ck_assert_uint_eq(t.pos, 3);
		rsp_request_free(r);
	}
	/* a pipe: the rest stays in it */
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], data, sizeof data - 1), sizeof data - 1);
	char *env[] = { (char *)"CONTENT_LENGTH=3", NULL };
	rsp_request *r = rsp_request_new(env, p[0]);
	const void *d;
	size_t len;
	ck_ok(rsp_request_body(r, &d, &len));
	ck_bytes(d, len, "a=1", 3);
	rsp_request_free(r);
	char rest[32];
	close(p[1]);
	ssize_t n = read(p[0], rest, sizeof rest);
	ck_bytes(rest, (size_t)n, "&b=2&c=3", 8);
	close(p[0]);
}
END_TEST

/* Nothing is read before it is asked for. */
START_TEST(test_lazy)
{
	struct tr t = tr_make("abc", 3, 0);
	char *env[] = { (char *)"CONTENT_LENGTH=3",
		(char *)"QUERY_STRING=a=%00", (char *)"HTTP_COOKIE=a=1", NULL };
	rsp_request *r = rsp__request_new_reader(env, tr_read, &t, NULL);
	ck_str(rsp_request_method(r), "GET");
	ck_str(rsp_request_cookie(r, "a"), "1");
	ck_str(rsp_request_header(r, "Content-Length"), "3");
	ck_assert_uint_eq(t.calls, 0);
	ck_str(rsp_request_query(r, "a"), NULL);
	ck_assert_uint_eq(t.calls, 0);
	ck_rc(rsp_request_status(r), RSP_EBADREQ); /* the query's NUL */
	ck_assert_uint_eq(t.pos, 3);               /* status reads the body */
	rsp_request_free(r);
}
END_TEST

START_TEST(test_body_spill)
{
	size_t n = (3u << 20) + 17;
	unsigned char *data = tu_pattern_bytes(n);
	char *cl = tu_strdupf("CONTENT_LENGTH=%zu", n);
	char *env[] = { cl, NULL };
	rsp_request *r = rsp_request_from_memory(env, data, n);
	const void *d;
	size_t len;
	ck_ok(rsp_request_body(r, &d, &len));
	ck_assert_uint_eq(len, n);
	ck_assert(memcmp(d, data, n) == 0);
	/* the body is a file mapping, not heap: find it in /proc/self/maps */
	ck_assert_msg(in_deleted_file_mapping(d),
	    "body is not a mapping of a deleted file");
	rsp_request_free(r);
	free(cl);
	free(data);
}
END_TEST

/* ---- status ranking -------------------------------------------------- */

START_TEST(test_status_ranking)
{
	/* a query over its limit and a malformed CONTENT_LENGTH: malformed */
	char *big = malloc(70000);
	memset(big, 'a', 69999);
	big[69999] = '\0';
	char *q = tu_strdupf("QUERY_STRING=%s", big);
	char *env[] = { q, (char *)"CONTENT_LENGTH=abc", NULL };
	rsp_request *r = req_env(env);
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	ck_rc(rsp_request_status(r), RSP_EBADREQ); /* stable */
	rsp_request_free(r);
	char *env2[] = { q, (char *)"CONTENT_LENGTH=5", NULL };
	r = rsp_request_from_memory(env2, "12345", 5);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	rsp_request_free(r);
	/* a read error and a limit: the limit */
	struct tr t = tr_make("abc", 3, 0);
	t.fail_at = 1;
	char *env3[] = { q, (char *)"CONTENT_LENGTH=3", NULL };
	r = rsp__request_new_reader(env3, tr_read, &t, NULL);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	rsp_request_free(r);
	free(q);
	free(big);
}
END_TEST

/* ---- cookies ---------------------------------------------------------- */

static rsp_request *req_cookie(const char *c)
{
	char *e = tu_strdupf("HTTP_COOKIE=%s", c);
	char *env[] = { e, NULL };
	rsp_request *r = rsp_request_from_memory(env, NULL, 0);
	free(e);
	return r;
}

static char *cookies_dump(rsp_request *r)
{
	struct rsp_buffer b = { 0 };
	size_t pos = 0;
	const char *n, *v;
	while (rsp_request_cookie_next(r, &pos, &n, &v)) {
		char *line = tu_strdupf("%s=%s\n", n, v);
		rsp__buf_append(&b, line, strlen(line));
		free(line);
	}
	rsp__buf_append(&b, "", 1);
	return b.data;
}

#define ck_cookies(hdr, exp)                                \
	do {                                                \
		rsp_request *r_ = req_cookie(hdr);          \
		char *d_ = cookies_dump(r_);                \
		ck_bytes(d_, strlen(d_), exp, strlen(exp)); \
		ck_rc(rsp_request_status(r_), RSP_OK);      \
		free(d_);                                   \
		rsp_request_free(r_);                       \
	} while (0)

START_TEST(test_cookies_basic)
{
	rsp_request *r = req_cookie("a=1; b=2;c=3 ; d = 4 ;e=\"q v\"");
	ck_str(rsp_request_cookie(r, "a"), "1");
	ck_str(rsp_request_cookie(r, "b"), "2");
	ck_str(rsp_request_cookie(r, "c"), "3");
	ck_str(rsp_request_cookie(r, "d"), "4");
	ck_str(rsp_request_cookie(r, "e"), "q v");
	ck_str(rsp_request_cookie(r, "A"), NULL);
	ck_str(rsp_request_cookie(r, "f"), NULL);
	ck_str(rsp_request_cookie(r, NULL), NULL);
	rsp_request_free(r);

	char *env[] = { NULL };
	r = req_env(env);
	size_t pos = 0;
	ck_str(rsp_request_cookie(r, "a"), NULL);
	ck_assert(!rsp_request_cookie_next(r, &pos, NULL, NULL));
	rsp_request_free(r);
}
END_TEST

START_TEST(test_cookies_duplicates_first_wins)
{
	rsp_request *r = req_cookie("s=1; s=2");
	ck_str(rsp_request_cookie(r, "s"), "1");
	rsp_request_free(r);
	ck_cookies("s=1; s=2", "s=1\ns=2\n");
}
END_TEST

START_TEST(test_cookies_garbage)
{
	ck_cookies("a=1; ; b; =x; c=\"unterminated; d=2\x01; e=3",
	    "a=1\nc=\"unterminated\ne=3\n");
	ck_cookies("", "");
	ck_cookies(";;;", "");
	ck_cookies("   ", "");
	ck_cookies("=", "");
	ck_cookies("==", "");
	ck_cookies("a==", "a==\n");
	ck_cookies("a=b=c", "a=b=c\n");
	ck_cookies("a", "");
	ck_cookies("a b=1; c(d)=2; e@=3; f=4", "f=4\n");
	ck_cookies("\"a\"=1; g=\"\"; h=\"; i=\"x\"y\"", "g=\nh=\"\ni=x\"y\n");
	ck_cookies("\t a=\t1\t ;\tb=2", "a=1\nb=2\n");
	ck_cookies("a=1,b=2", "a=1,b=2\n");
	ck_cookies("x=\x7f; y=\xff\xfe; z=%00", "y=\xff\xfe\nz=%00\n");
	ck_cookies("$Version=1; a=1; $Path=/", "$Version=1\na=1\n$Path=/\n");
}
END_TEST

START_TEST(test_cookies_random_garbage)
{
	unsigned seed = 12345;
	for (int round = 0; round < 200; round++) {
		char buf[600];
		size_t n = 0;
		for (; n < sizeof buf - 1; n++) {
			seed = seed * 1103515245u + 12345u;
			unsigned char c = (unsigned char)(seed >> 16);
			if (c == 0)
				c = ';';
			buf[n] =
			    (char)((seed >> 8) % 3 == 0 ? "=; \"\t"[c % 5] : c);
		}
		buf[n] = '\0';
		rsp_request *r = req_cookie(buf);
		size_t pos = 0;
		const char *name, *v;
		while (rsp_request_cookie_next(r, &pos, &name, &v)) {
			ck_assert(strlen(name) > 0);
			for (const char *p = v; *p; p++)
				ck_assert((unsigned char)*p >= 0x20 &&
				    *p != 0x7f);
		}
		ck_rc(rsp_request_status(r), RSP_OK);
		rsp_request_free(r);
	}
}
END_TEST

START_TEST(test_cookies_limit)
{
	/* 8 KiB of header is read; one byte more and cookies are ignored */
	char *c = malloc(9000);
	memcpy(c, "a=", 2);
	memset(c + 2, 'v', 8190);
	c[8192] = '\0';
	rsp_request *r = req_cookie(c);
	ck_assert_uint_eq(strlen(rsp_request_cookie(r, "a")), 8190);
	rsp_request_free(r);
	c[8192] = 'v';
	c[8193] = '\0';
	r = req_cookie(c);
	ck_str(rsp_request_cookie(r, "a"), NULL);
	ck_rc(rsp_request_status(r), RSP_OK);
	rsp_request_free(r);
	/* 64 KiB with 5000 crumbs: ignored, quickly */
	struct rsp_buffer b = { 0 };
	for (int i = 0; i < 5000; i++) {
		char item[32];
		int l = snprintf(item, sizeof item, "c%d=%d; ", i, i);
		rsp__buf_append(&b, item, (size_t)l);
	}
	rsp__buf_append(&b, "", 1);
	r = req_cookie(b.data);
	ck_str(rsp_request_cookie(r, "c1"), NULL);
	rsp_request_free(r);
	/* configurable */
	struct rsp_limits lim = { .max_cookie = 1 << 20 };
	char *e = tu_strdupf("HTTP_COOKIE=%s", b.data);
	char *env[] = { e, NULL };
	r = rsp_request_from_memory_with(env, NULL, 0, &lim);
	ck_str(rsp_request_cookie(r, "c4999"), "4999");
	rsp_request_free(r);
	free(e);
	rsp_buffer_free(&b);
	free(c);
}
END_TEST

START_TEST(test_cookie_page_boundary)
{
	static const char *const inputs[] = {
		"a",
		"a=",
		"a=\"",
		"a=\"x",
		"a=\"x\"",
		"a=1;",
		"a=1; ",
		" ",
		";",
		"=",
		"a=1; b",
		"a=1; b=\"",
		"\"",
		"a=1\t",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		size_t len = strlen(inputs[i]);
		struct guard g = guard_place(inputs[i], len);
		struct rsp__arena a;
		struct rsp__pairs p;
		rsp__arena_init(&a);
		ck_rc(rsp__cookie_parse(&a, g.p, len, &p), RSP_OK);
		for (size_t k = 0; k < p.n; k++)
			ck_assert(p.v[k].value[p.v[k].vlen] == '\0');
		rsp__arena_free(&a);
		guard_free(&g);
	}
	struct guard g = guard_place("x=1; y=\"2\"", 10);
	struct rsp__arena a;
	struct rsp__pairs p;
	rsp__arena_init(&a);
	ck_rc(rsp__cookie_parse(&a, g.p, 10, &p), RSP_OK);
	char *d = pairs_dump(&p);
	ck_bytes(d, strlen(d), "\"x\"=\"1\"\n\"y\"=\"2\"\n", 16);
	free(d);
	rsp__arena_free(&a);
	guard_free(&g);
}
END_TEST

/* ---- HTTP Basic ------------------------------------------------------ */

static int auth(const char *hdr, const char **u, const char **p,
    rsp_request **out)
{
	char *e = hdr ? tu_strdupf("HTTP_AUTHORIZATION=%s", hdr) : NULL;
	char *env[] = { e, NULL };
	rsp_request *r = rsp_request_from_memory(env, NULL, 0);
	free(e);
	*out = r;
	return rsp_request_auth(r, u, p);
}

START_TEST(test_auth_valid)
{
	static const char *const cases[][3] = {
		{ "Basic dXNlcjpwYXNz", "user", "pass" },
		{ "basic dXNlcjpwYXNz", "user", "pass" },
		{ "BASIC   dXNlcjpwYXNz  ", "user", "pass" },
		{ "Basic YTpiOmM=", "a", "b:c" },
		{ "Basic OnA=", "", "p" },
		{ "Basic dTo=", "u", "" },
		{ "Basic Og==", "", "" },
		{ "Basic w6Q6w7Y=", "\xc3\xa4", "\xc3\xb6" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *u = NULL, *p = NULL;
		rsp_request *r;
		ck_assert_msg(auth(cases[i][0], &u, &p, &r) == RSP_OK, "%s",
		    cases[i][0]);
		ck_str(u, cases[i][1]);
		ck_str(p, cases[i][2]);
		/* cached, same answer */
		const char *u2, *p2;
		ck_ok(rsp_request_auth(r, &u2, &p2));
		ck_assert_ptr_eq(u, u2);
		ck_assert_ptr_eq(p, p2);
		ck_ok(rsp_request_auth(r, NULL, NULL));
		rsp_request_free(r);
	}
}
END_TEST

START_TEST(test_auth_invalid)
{
	static const char *const cases[] = {
		NULL,
		"",
		"Basic",
		"Basic ",
		"Basic  ",
		"Bearer dXNlcjpwYXNz",
		"Basicx dXNlcjpwYXNz",
		"Basic\tdXNlcjpwYXNz",
		"Digest a=b",
		"Basic dXNlcjpwYXN", /* length not a multiple of 4 */
		"Basic dXNlcjpwYXNz=",
		"Basic dXNl cjpwYXNz", /* inner space */
		"Basic dXNlcjpwYXNz====",
		"Basic dXNlcg==", /* no colon: "user" */
		"Basic YQ=a",     /* padding in the middle */
		"Basic YR==",     /* non-zero unused bits */
		"Basic YWJ=",     /* non-zero unused bits */
		"Basic =AAA",
		"Basic YTpi*A==", /* not the alphabet */
		"Basic YTpi-_==", /* base64url is not base64 */
		"Basic YQA6Yg==", /* "a\0:b" */
		"Basic YTpiCg==", /* "a:b\n" */
		"Basic YTpifw==", /* "a:b\x7f" */
		"Basic YTpi==",
		"Basic dXNlcjpwYXNz dXNlcjpwYXNz",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *u = "x", *p = "y";
		rsp_request *r;
		int rc = auth(cases[i], &u, &p, &r);
		ck_assert_msg(rc == RSP_EINVAL, "%s: %d",
		    cases[i] ? cases[i] : "(none)", rc);
		ck_assert_ptr_null(u);
		ck_assert_ptr_null(p);
		ck_rc(rsp_request_status(r), RSP_OK);
		rsp_request_free(r);
	}
}
END_TEST

/* ---- the FastCGI path: reader, detach, reset --------------------------- */

START_TEST(test_reader_detach)
{
	char *env[] = { strdup("REQUEST_METHOD=POST"),
		strdup("HTTP_USER_AGENT=ua"), strdup("QUERY_STRING=q=1"),
		strdup("CONTENT_LENGTH=7"),
		strdup("CONTENT_TYPE=application/x-www-form-urlencoded"),
		strdup("HTTP_COOKIE=c=v"), strdup("PATH_INFO=/p"),
		strdup("HTTP_AUTHORIZATION=Basic dTpw"), NULL };
	struct tr t = tr_make("a=1&b=2", 7, 1);
	rsp_request *r = rsp__request_new_reader(env, tr_read, &t, NULL);
	/* strings handed out before the detach */
	const char *ua = rsp_request_header(r, "User-Agent");
	const char *m = rsp_request_method(r);
	const char *pi = rsp_request_param(r, "PATH_INFO");
	ck_assert_ptr_ne(ua, env[1] + 16);       /* a copy, not libfcgi's */
	ck_str(rsp_request_cookie(r, "c"), "v"); /* indexes the variables */
	ck_ok(rsp__request_detach(r));
	ck_assert_uint_eq(t.pos, 7);
	/* the FastCGI request ends: its params and stream go away */
	for (int i = 0; env[i]; i++) {
		memset(env[i], 'Z', strlen(env[i]));
		free(env[i]);
		env[i] = NULL;
	}
	t.data = NULL;
	ck_str(ua, "ua");
	ck_str(m, "POST");
	ck_str(pi, "/p");
	ck_str(rsp_request_header(r, "User-Agent"), "ua");
	ck_str(rsp_request_param(r, "PATH_INFO"), "/p");
	ck_str(rsp_request_query(r, "q"), "1");
	ck_str(rsp_request_cookie(r, "c"), "v");
	ck_str(rsp_request_form(r, "b"), "2");
	const char *u, *pw;
	ck_ok(rsp_request_auth(r, &u, &pw)); /* read after the detach */
	ck_str(u, "u");
	ck_str(pw, "p");
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_ok(rsp__request_detach(r)); /* twice is harmless */
	rsp_request_free(r);
}
END_TEST

START_TEST(test_reader_detach_errors_kept)
{
	char *env[] = { (char *)"CONTENT_LENGTH=10", NULL };
	struct tr t = tr_make("abc", 3, 0);
	rsp_request *r = rsp__request_new_reader(env, tr_read, &t, NULL);
	ck_ok(rsp__request_detach(r));
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	rsp_request_free(r);
	/* no reader, no env */
	r = rsp__request_new_reader(NULL, NULL, NULL, NULL);
	ck_str(rsp_request_method(r), "GET");
	ck_ok(rsp__request_detach(r));
	ck_rc(rsp_request_status(r), RSP_OK);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_reader_reset)
{
	rsp_request *r = rsp__request_new_reader(NULL, NULL, NULL, NULL);
	for (int i = 0; i < 2000; i++) {
		char q[64], cl[32];
		snprintf(q, sizeof q, "QUERY_STRING=i=%d", i);
		size_t blen = (size_t)(i % 3 == 0 ? 5000 : 20);
		snprintf(cl, sizeof cl, "CONTENT_LENGTH=%zu", blen);
		char *env[] = { q, cl, (char *)"HTTP_COOKIE=k=v",
			(char *)"CONTENT_TYPE=application/x-www-form-urlencoded",
			NULL };
		char *body = malloc(blen);
		memset(body, 'x', blen);
		memcpy(body, "f=", 2);
		struct tr t = tr_make(body, blen, 0);
		struct rsp_limits lim = { .spill_threshold = 4096 };
		rsp__request_reset(r, env, tr_read, &t, &lim);
		char exp[16];
		snprintf(exp, sizeof exp, "%d", i);
		ck_str(rsp_request_query(r, "i"), exp);
		ck_str(rsp_request_cookie(r, "k"), "v");
		ck_rc(rsp_request_status(r), RSP_OK);
		ck_assert_uint_eq(strlen(rsp_request_form(r, "f")), blen - 2);
		if (i % 2)
			ck_ok(rsp__request_detach(r));
		free(body);
	}
	rsp__request_reset(r, NULL, NULL, NULL, NULL);
	ck_str(rsp_request_query(r, "i"), NULL);
	ck_str(rsp_request_cookie(r, "k"), NULL);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_fd_body)
{
	int fd = tu_temp_file(5000, NULL);
	unsigned char *exp = tu_pattern_bytes(5000);
	char *env[] = { (char *)"CONTENT_LENGTH=5000", NULL };
	rsp_request *r = rsp_request_new(env, fd);
	const void *d;
	size_t len;
	ck_ok(rsp_request_body(r, &d, &len));
	ck_bytes(d, len, exp, 5000);
	rsp_request_free(r);
	/* spilled from an fd */
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	struct rsp_limits lim = { .spill_threshold = 1000 };
	r = rsp_request_new_with(env, fd, &lim);
	ck_ok(rsp_request_body(r, &d, &len));
	ck_bytes(d, len, exp, 5000);
	rsp_request_free(r);
	free(exp);
	close(fd);
}
END_TEST

/* ---- reasons and refusal statuses ------------------------------------- */

static rsp_request *req_body(char *const *env, const char *body)
{
	rsp_request *r = rsp_request_from_memory(env, body, strlen(body));
	ck_assert_ptr_nonnull(r);
	return r;
}

START_TEST(test_request_reasons)
{
	/* 1001 pairs and a %00: malformed wins (400), with its reason */
	struct rsp_buffer q = { 0 };
	rsp_buffer_append(&q, "QUERY_STRING=", -1);
	for (int i = 0; i < 1001; i++)
		rsp_buffer_append(&q, "a&", 2);
	rsp_buffer_append(&q, "b=%00", 6);
	char *env1[] = { q.data, NULL };
	rsp_request *r = req_env(env1);
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	ck_str(rsp_request_errmsg(r), "query holds a NUL byte (%00)");
	ck_assert_int_eq(rsp__request_refusal_status(r, RSP_EBADREQ), 400);
	rsp_request_free(r);
	rsp_buffer_free(&q);

	/* too many pairs alone: 413 */
	rsp_buffer_append(&q, "QUERY_STRING=", -1);
	for (int i = 0; i < 1001; i++)
		rsp_buffer_append(&q, "a&", 2);
	rsp_buffer_append(&q, "", 1);
	char *env2[] = { q.data, NULL };
	r = req_env(env2);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	ck_str(rsp_request_errmsg(r),
	    "query has more than max_params (1000) pairs");
	ck_assert_int_eq(rsp__request_refusal_status(r, RSP_ELIMIT), 413);
	rsp_request_free(r);
	rsp_buffer_free(&q);

	/* an over-long QUERY_STRING: 414 */
	rsp_buffer_append(&q, "QUERY_STRING=", -1);
	for (int i = 0; i < 70000; i++)
		rsp_buffer_append(&q, "a", 1);
	rsp_buffer_append(&q, "", 1);
	char *env3[] = { q.data, NULL };
	r = req_env(env3);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	ck_str(rsp_request_errmsg(r), "query over max_query (65536 bytes)");
	ck_assert_int_eq(rsp__request_refusal_status(r, RSP_ELIMIT), 414);
	rsp_request_free(r);
	rsp_buffer_free(&q);

	/* a short body */
	char *env4[] = { (char *)"REQUEST_METHOD=POST",
		(char *)"CONTENT_LENGTH=10", NULL };
	r = req_body(env4, "abc");
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	ck_str(rsp_request_errmsg(r), "body ended after 3 of 10 bytes");
	rsp_request_free(r);

	/* a body over max_body, then a malformed method: the method wins */
	struct rsp_limits lim = { .max_body = 4 };
	char *env5[] = { (char *)"REQUEST_METHOD=G T",
		(char *)"CONTENT_LENGTH=10", NULL };
	r = rsp_request_from_memory_with(env5, "0123456789", 10, &lim);
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	ck_str(rsp_request_errmsg(r),
	    "REQUEST_METHOD is not an RFC 9110 token");
	rsp_request_free(r);
	char *env6[] = { (char *)"CONTENT_LENGTH=10", NULL };
	r = rsp_request_from_memory_with(env6, "0123456789", 10, &lim);
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	ck_str(rsp_request_errmsg(r),
	    "CONTENT_LENGTH 10 over max_body (4 bytes)");
	ck_assert_int_eq(rsp__request_refusal_status(r, RSP_ELIMIT), 413);
	/* asking again gives the same reason */
	ck_rc(rsp_request_status(r), RSP_ELIMIT);
	ck_str(rsp_request_errmsg(r),
	    "CONTENT_LENGTH 10 over max_body (4 bytes)");
	rsp_request_free(r);

	/* a form that is not well formed */
	char *env7[] = { (char *)"CONTENT_TYPE=multipart/form-data",
		(char *)"CONTENT_LENGTH=3", NULL };
	r = req_body(env7, "abc");
	ck_assert_ptr_null(rsp_request_form(r, "x"));
	ck_str(rsp_request_errmsg(r),
	    "multipart/form-data without one valid "
	    "boundary parameter");
	rsp_request_free(r);

	/* nothing wrong: "" */
	char *env8[] = { (char *)"QUERY_STRING=a=1", NULL };
	r = req_env(env8);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_str(rsp_request_errmsg(r), "");
	rsp_request_free(r);
	ck_str(rsp_request_errmsg(NULL), "no request (NULL)");
}
END_TEST

/* A part's free_fn runs when the runner resets the response for the next
 * FastCGI request, and not again when it is freed. */
static int part_p(void *arg, const void **data, size_t *len)
{
	(void)arg;
	*data = "p";
	*len = 1;
	return 0;
}

static void count_free(void *arg)
{
	(*(int *)arg)++;
}

START_TEST(test_part_fn_free_on_reset)
{
	int frees = 0;
	struct rsp_buffer buf = { 0 };
	rsp_response *res = rsp_response_new(NULL, rsp_sink_buffer(&buf));
	ck_rc(rsp_add_content_fn(res, part_p, &frees, count_free), RSP_OK);
	rsp__response_reset(res, NULL, rsp_sink_buffer(&buf));
	ck_assert_int_eq(frees, 1);
	ck_rc(rsp_finish(res), RSP_OK);
	ck_bytes(buf.data, buf.len, "Status: 200 OK\r\n\r\n", 18);
	rsp_response_free(res);
	ck_assert_int_eq(frees, 1);
	rsp_buffer_free(&buf);
}
END_TEST

/* const getters may be called from several threads at once on one request
 * (the FastCGI-style environment, whose values are copied on first use). */
static char *const conc_env[] = { (char *)"REQUEST_METHOD=PUT",
	(char *)"QUERY_STRING=a=1&b=2&a=3", (char *)"HTTP_COOKIE=c=4; d=5",
	(char *)"HTTP_USER_AGENT=t", (char *)"HTTP_AUTHORIZATION=Basic dTpw",
	(char *)"X=6", NULL };

static void *conc_reader(void *arg)
{
	rsp_request *r = arg;
	for (int i = 0; i < 200; i++) {
		const char *v[4], *n, *val;
		size_t pos = 0, count = 0;
		if (strcmp(rsp_request_method(r), "PUT") != 0 ||
		    strcmp(rsp_request_query(r, "b"), "2") != 0 ||
		    rsp_request_query_all(r, "a", v, 4) != 2 ||
		    strcmp(v[1], "3") != 0 ||
		    strcmp(rsp_request_cookie(r, "d"), "5") != 0 ||
		    strcmp(rsp_request_header(r, "User-Agent"), "t") != 0 ||
		    strcmp(rsp_request_param(r, "X"), "6") != 0)
			return (void *)"a lookup differs";
		while (rsp_request_param_next(r, &pos, &n, &val))
			count++;
		pos = 0;
		while (rsp_request_header_next(r, &pos, &n, &val))
			count++;
		const char *u, *p;
		if (count != 9 || rsp_request_auth(r, &u, &p) != RSP_OK ||
		    strcmp(u, "u") != 0 || strcmp(p, "p") != 0)
			return (void *)"an iteration or the credentials differ";
	}
	return NULL;
}

/* Fewer rounds under a race detector (RSP_TEST_ROUNDS). */
static int rounds(void)
{
	const char *e = getenv("RSP_TEST_ROUNDS");
	return e != NULL && atoi(e) > 0 ? atoi(e) : 50;
}

START_TEST(test_const_getters_concurrent)
{
	struct rsp_limits lim;
	rsp__limits_resolve(&lim, NULL);
	for (int round = 0; round < rounds(); round++) {
		rsp_request *r = rsp__request_new_env(conc_env, -1, &lim);
		ck_assert_ptr_nonnull(r);
		pthread_t t[4];
		for (int i = 0; i < 4; i++)
			ck_assert_int_eq(pthread_create(&t[i], NULL,
			                     conc_reader, r),
			    0);
		for (int i = 0; i < 4; i++) {
			void *err;
			pthread_join(t[i], &err);
			ck_assert_msg(err == NULL, "%s", (const char *)err);
		}
		rsp_request_free(r);
	}
}
END_TEST

static Suite *request_suite(void)
{
	Suite *s = suite_create("request");
	TCase *tc = tcase_create("variables");
	tcase_add_test(tc, test_method_default);
	tcase_add_test(tc, test_method_values);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_env_copied);
	tcase_add_test(tc, test_env_index);
	tcase_add_test(tc, test_headers);
	tcase_add_test(tc, test_request_reasons);
	tcase_add_test(tc, test_part_fn_free_on_reset);
	tcase_add_test(tc, test_const_getters_concurrent);
	suite_add_tcase(s, tc);

	tc = tcase_create("body");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_content_length_malformed);
	tcase_add_test(tc, test_content_length_valid);
	tcase_add_test(tc, test_content_length_limit);
	tcase_add_test(tc, test_max_body_env);
	tcase_add_test(tc, test_body_shorter_than_declared);
	tcase_add_test(tc, test_body_read_error);
	tcase_add_test(tc, test_body_never_over_read);
	tcase_add_test(tc, test_lazy);
	tcase_add_test(tc, test_body_spill);
	tcase_add_test(tc, test_fd_body);
	tcase_add_test(tc, test_status_ranking);
	suite_add_tcase(s, tc);

	tc = tcase_create("cookies");
	tcase_add_test(tc, test_cookies_basic);
	tcase_add_test(tc, test_cookies_duplicates_first_wins);
	tcase_add_test(tc, test_cookies_garbage);
	tcase_add_test(tc, test_cookies_random_garbage);
	tcase_add_test(tc, test_cookies_limit);
	tcase_add_test(tc, test_cookie_page_boundary);
	suite_add_tcase(s, tc);

	tc = tcase_create("auth");
	tcase_add_test(tc, test_auth_valid);
	tcase_add_test(tc, test_auth_invalid);
	suite_add_tcase(s, tc);

	tc = tcase_create("fastcgi");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_reader_detach);
	tcase_add_test(tc, test_reader_detach_errors_kept);
	tcase_add_test(tc, test_reader_reset);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(request_suite());
}
