/* check_fcgi.c - the FastCGI record layer (fcgi_record.c) on exact bytes, and
 * one connection (fcgi_conn.c) driven through a socketpair: a request's head,
 * its body, its end written exactly once, management records, aborts. */
#include "requtil.h"

#include <sys/socket.h>

/* ---- record building, as a web server does it ---------------------------- */

static size_t rec(unsigned char *out, int type, unsigned id, const void *c,
    size_t len)
{
	rsp__fcgi_hdr_write(out, type, id, len);
	memcpy(out + 8, c, len);
	return 8 + len;
}

static size_t pair(unsigned char *out, const char *n, const char *v)
{
	size_t nl = strlen(n), vl = strlen(v), k = 0;
	out[k++] = (unsigned char)nl;
	if (vl < 128) {
		out[k++] = (unsigned char)vl;
	} else {
		out[k++] = (unsigned char)(0x80 | vl >> 24);
		out[k++] = (unsigned char)(vl >> 16);
		out[k++] = (unsigned char)(vl >> 8);
		out[k++] = (unsigned char)vl;
	}
	memcpy(out + k, n, nl);
	memcpy(out + k + nl, v, vl);
	return k + nl + vl;
}

static size_t begin(unsigned char *out, unsigned id, bool keep)
{
	unsigned char b[8] = { 0, 1, keep ? 1 : 0, 0, 0, 0, 0, 0 };
	return rec(out, RSP__FCGI_BEGIN_REQUEST, id, b, 8);
}

/* A request: BEGIN, one PARAMS record, the empty one, a body, its end. */
static size_t request(unsigned char *out, unsigned id, bool keep,
    const char *body)
{
	unsigned char p[256];
	size_t n = begin(out, id, keep), pl = 0;
	pl += pair(p + pl, "REQUEST_METHOD", "POST");
	pl += pair(p + pl, "QUERY_STRING", "a=1");
	n += rec(out + n, RSP__FCGI_PARAMS, id, p, pl);
	n += rec(out + n, RSP__FCGI_PARAMS, id, "", 0);
	if (body[0] != '\0')
		n += rec(out + n, RSP__FCGI_STDIN, id, body, strlen(body));
	n += rec(out + n, RSP__FCGI_STDIN, id, "", 0);
	return n;
}

/* ---- the record layer ------------------------------------------------------ */

START_TEST(test_header_bytes)
{
	unsigned char h[8];
	struct rsp__fcgi_hdr r;
	rsp__fcgi_hdr_write(h, RSP__FCGI_STDOUT, 0x1234, 0xfff8);
	ck_assert_mem_eq(h, "\x01\x06\x12\x34\xff\xf8\x00\x00", 8);
	static const unsigned char in[] = "\x01\x05\x00\x01\x01\x00\x07\x00";
	rsp__fcgi_hdr_read(in, &r);
	ck_assert_uint_eq(r.version, 1);
	ck_assert_uint_eq(r.type, RSP__FCGI_STDIN);
	ck_assert_uint_eq(r.id, 1);
	ck_assert_uint_eq(r.clen, 256);
	ck_assert_uint_eq(r.plen, 7);
}
END_TEST

START_TEST(test_end_and_unknown_bytes)
{
	unsigned char out[16];
	ck_assert_uint_eq(rsp__fcgi_end_request(out, 7, 0x01020304,
	                      RSP__FCGI_CANT_MPX_CONN),
	    16);
	ck_assert_mem_eq(out,
	    "\x01\x03\x00\x07\x00\x08\x00\x00\x01\x02\x03\x04\x01\x00\x00\x00",
	    16);
	ck_assert_uint_eq(rsp__fcgi_unknown_type(out, 42), 16);
	ck_assert_mem_eq(out,
	    "\x01\x0b\x00\x00\x00\x08\x00\x00\x2a\x00\x00\x00\x00\x00\x00\x00",
	    16);
}
END_TEST

START_TEST(test_get_values_result)
{
	unsigned char q[128], out[256];
	size_t n = 0;
	n += pair(q + n, "FCGI_MPXS_CONNS", "");
	n += pair(q + n, "FCGI_UNHEARD_OF", "");
	n += pair(q + n, "FCGI_MAX_CONNS", "");
	size_t len =
	    rsp__fcgi_get_values_result(q, n, out, sizeof(out), 12, 34);
	/* 18 + 18 content bytes, padded to 40; unknown names left out */
	ck_assert_uint_eq(len, 8 + 40);
	ck_assert_mem_eq(out, "\x01\x0a\x00\x00\x00\x24\x04\x00", 8);
	ck_assert_mem_eq(out + 8,
	    "\x0f\x01"
	    "FCGI_MPXS_CONNS"
	    "0"
	    "\x0e\x02"
	    "FCGI_MAX_CONNS"
	    "12"
	    "\0\0\0\0",
	    40);
}
END_TEST

static char **envp;
static size_t env_cap;

static void env_teardown(void)
{
	free(envp);
	envp = NULL;
	env_cap = 0;
}

START_TEST(test_params_decode_in_place)
{
	unsigned char buf[600];
	char big[300];
	size_t n = 0, count = 99;
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	n += pair(buf + n, "A", "1");
	n += pair(buf + n, "EMPTY", "");
	n += pair(buf + n, "BIG", big);      /* a 4-byte length */
	n += pair(buf + n, "BAD=NAME", "x"); /* left out */
	n += pair(buf + n, "", "no name");   /* left out */
	n += pair(buf + n, "Z", "2");
	ck_assert_int_eq(rsp__fcgi_params_decode((char *)buf, n, &envp,
	                     &env_cap, &count),
	    RSP_OK);
	ck_assert_uint_eq(count, 4);
	ck_assert_str_eq(envp[0], "A=1");
	ck_assert_str_eq(envp[1], "EMPTY=");
	ck_assert_uint_eq(strlen(envp[2]), 4 + 299);
	ck_assert_str_eq(envp[3], "Z=2");
	ck_assert_ptr_null(envp[4]);
}
END_TEST

START_TEST(test_params_value_with_nul_left_out)
{
	unsigned char buf[64] = { 1, 3, 'N', 'a', 0, 'b', 1, 1, 'M', 'x' };
	size_t count;
	ck_assert_int_eq(rsp__fcgi_params_decode((char *)buf, 10, &envp,
	                     &env_cap, &count),
	    RSP_OK);
	ck_assert_uint_eq(count, 1);
	ck_assert_str_eq(envp[0], "M=x");
}
END_TEST

/* Lengths that run past the stream, the CVE-2025-23016 ones included. */
START_TEST(test_params_malformed)
{
	static const unsigned char cases[][12] = {
		{ 5 },                                /* one length byte */
		{ 10, 200, 'S', 'H', 'O', 'R', 'T' }, /* overlong */
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'A', 'B' },
		{ 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xfe, 'A', 'B' },
		{ 0x80, 0x00, 0x00 }, /* a 4-byte length cut */
	};
	static const size_t lens[] = { 1, 7, 10, 10, 3 };
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		char buf[12];
		size_t count;
		memcpy(buf, cases[i], lens[i]);
		ck_assert_msg(rsp__fcgi_params_decode(buf, lens[i], &envp,
		                  &env_cap, &count) == RSP_EBADREQ,
		    "case %zu", i);
	}
}
END_TEST

/* picohttpparser's trick: input that ends where a page ends, the next page
 * unmapped, so reading one byte too far faults. */
START_TEST(test_params_page_boundary)
{
	static const unsigned char tails[][6] = {
		{ 1, 1, 'A', 'b' },
		{ 1, 0x80, 0, 0 },
		{ 1 },
		{ 0x80, 0, 0, 1 },
		{ 2, 0, 'A', 'B' },
	};
	static const size_t lens[] = { 4, 4, 1, 4, 4 };
	static const int want[] = { RSP_OK, RSP_EBADREQ, RSP_EBADREQ,
		RSP_EBADREQ, RSP_OK };
	for (size_t i = 0; i < 5; i++) {
		struct guard g = guard_place(tails[i], lens[i]);
		size_t count;
		ck_assert_int_eq(rsp__fcgi_params_decode(g.p, lens[i], &envp,
		                     &env_cap, &count),
		    want[i]);
		guard_free(&g);
	}
}
END_TEST

/* ---- one connection ---------------------------------------------------------- */

static const struct rsp__conn_cfg cfg = { 300, 1000, 4096, 9 };
static int peer;
static struct rsp__conn *conn;

static void conn_setup(void)
{
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	conn = rsp__conn_new(&cfg);
	ck_assert_ptr_nonnull(conn);
	rsp__conn_open(conn, sv[0]);
	peer = sv[1];
}

static void conn_teardown(void)
{
	rsp__conn_free(conn);
	close(peer);
}

static void put(const void *p, size_t n)
{
	ck_assert_int_eq(write(peer, p, n), (ssize_t)n);
}

/* Everything the connection sent so far. */
static size_t take(unsigned char *out, size_t cap)
{
	size_t n = 0;
	ssize_t r;
	while (n < cap && (r = recv(peer, out + n, cap - n, MSG_DONTWAIT)) > 0)
		n += (size_t)r;
	return n;
}

START_TEST(test_conn_request_and_one_end)
{
	unsigned char buf[1024], got[1024];
	char body[16];
	put(buf, request(buf, 1, true, "hello"));
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_READY);
	char **env = rsp__conn_envp(conn);
	ck_assert_str_eq(env[0], "REQUEST_METHOD=POST");
	ck_assert_str_eq(env[1], "QUERY_STRING=a=1");
	ck_assert_ptr_null(env[2]);
	ck_assert_int_eq(rsp__conn_read(conn, body, 3), 3);
	ck_assert_int_eq(rsp__conn_read(conn, body + 3, 10), 2);
	ck_assert_int_eq(rsp__conn_read(conn, body + 5, 10), 0);
	ck_assert_mem_eq(body, "hello", 5);
	rsp_sink s = rsp__conn_sink(conn);
	ck_assert_int_eq(s.write(s.ctx, "Status: 200 OK\r\n", 16), RSP_OK);
	ck_assert_int_eq(rsp__conn_end(conn, "log\n", 4, "\r\nok", 4), RSP_OK);
	ck_assert_int_eq(rsp__conn_end(conn, NULL, 0, NULL, 0),
	    RSP_OK); /* once */
	size_t n = take(got, sizeof(got));
	static const unsigned char want[] = "\x01\x06\x00\x01\x00\x10\x00\x00"
	                                    "Status: 200 OK\r\n"
	                                    "\x01\x07\x00\x01\x00\x04\x00\x00"
	                                    "log\n"
	                                    "\x01\x07\x00\x01\x00\x00\x00\x00"
	                                    "\x01\x06\x00\x01\x00\x04\x00\x00"
	                                    "\r\nok"
	                                    "\x01\x06\x00\x01\x00\x00\x00\x00"
	                                    "\x01\x03\x00\x01\x00\x08\x00\x00"
	                                    "\x00\x00\x00\x00\x00\x00\x00\x00";
	ck_assert_uint_eq(n, sizeof(want) - 1);
	ck_assert_mem_eq(got, want, n);
	ck_assert(rsp__conn_reusable(conn));
	ck_assert(rsp__conn_drained(conn));
}
END_TEST

START_TEST(test_conn_not_kept)
{
	unsigned char buf[512];
	put(buf, request(buf, 3, false, ""));
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_READY);
	ck_assert_int_eq(rsp__conn_end(conn, NULL, 0, "x", 1), RSP_OK);
	ck_assert(!rsp__conn_reusable(conn));
	/* the body's end was in the buffer: nothing is left unread */
	ck_assert(rsp__conn_drained(conn));
}
END_TEST

START_TEST(test_conn_unread_body_skipped)
{
	unsigned char buf[1024], got[512];
	put(buf, request(buf, 1, true, "unread body"));
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_READY);
	ck_assert_int_eq(rsp__conn_end(conn, NULL, 0, "a", 1), RSP_OK);
	take(got, sizeof(got));
	put(buf, request(buf, 1, true, "second"));
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_READY);
	/* the next request's body is its own, not the first one's rest */
	char body[16];
	ck_assert_int_eq(rsp__conn_read(conn, body, sizeof(body)), 6);
	ck_assert_mem_eq(body, "second", 6);
}
END_TEST

START_TEST(test_conn_management)
{
	unsigned char buf[256], got[256], q[64];
	size_t qn = pair(q, "FCGI_MAX_REQS", "");
	size_t n = rec(buf, RSP__FCGI_GET_VALUES, 0, q, qn);
	n += rec(buf + n, 77, 0, "12345678", 8);
	put(buf, n);
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_WAIT);
	n = take(got, sizeof(got));
	static const unsigned char want[] = "\x01\x0a\x00\x00\x00\x10\x00\x00"
	                                    "\x0d\x01"
	                                    "FCGI_MAX_REQS"
	                                    "9"
	                                    "\x01\x0b\x00\x00\x00\x08\x00\x00"
	                                    "\x4d\x00\x00\x00\x00\x00\x00\x00";
	ck_assert_uint_eq(n, sizeof(want) - 1);
	ck_assert_mem_eq(got, want, n);
	ck_assert(!rsp__conn_begun(conn));
}
END_TEST

START_TEST(test_conn_abort_while_serving)
{
	unsigned char buf[512], got[512];
	char b[8];
	size_t n = request(buf, 1, true, "");
	put(buf, n);
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_READY);
	put(buf, rec(buf, RSP__FCGI_ABORT_REQUEST, 1, "", 0));
	rsp_sink s = rsp__conn_sink(conn);
	ck_assert_int_eq(s.write(s.ctx, "x", 1), RSP_EIO);
	ck_assert(rsp__conn_aborted(conn));
	ck_assert_int_eq(rsp__conn_read(conn, b, sizeof(b)),
	    0); /* body had ended */
	ck_assert_int_eq(rsp__conn_end(conn, NULL, 0, "dropped", 7), RSP_OK);
	n = take(got, sizeof(got));
	static const unsigned char want[] = "\x01\x06\x00\x01\x00\x00\x00\x00"
	                                    "\x01\x03\x00\x01\x00\x08\x00\x00"
	                                    "\x00\x00\x00\x00\x00\x00\x00\x00";
	ck_assert_uint_eq(n, sizeof(want) - 1);
	ck_assert_mem_eq(got, want, n);
	ck_assert(rsp__conn_reusable(conn));
}
END_TEST

START_TEST(test_conn_second_begin_refused)
{
	unsigned char buf[512], got[512];
	put(buf, request(buf, 1, true, ""));
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_READY);
	put(buf, begin(buf, 2, true));
	ck_assert_int_eq(rsp__conn_end(conn, NULL, 0, NULL, 0), RSP_OK);
	size_t n = take(got, sizeof(got));
	static const unsigned char want[] = "\x01\x03\x00\x02\x00\x08\x00\x00"
	                                    "\x00\x00\x00\x00\x01\x00\x00\x00"
	                                    "\x01\x06\x00\x01\x00\x00\x00\x00"
	                                    "\x01\x03\x00\x01\x00\x08\x00\x00"
	                                    "\x00\x00\x00\x00\x00\x00\x00\x00";
	ck_assert_uint_eq(n, sizeof(want) - 1);
	ck_assert_mem_eq(got, want, n);
}
END_TEST

START_TEST(test_conn_stream_without_begin)
{
	unsigned char buf[64];
	put(buf,
	    rec(buf, RSP__FCGI_PARAMS, 1,
	        "\x01\x01"
	        "AB",
	        4));
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_CLOSE);
}
END_TEST

START_TEST(test_conn_absurd_pair_closes_at_once)
{
	unsigned char buf[64];
	size_t n = begin(buf, 1, false);
	n += rec(buf + n, RSP__FCGI_PARAMS, 1,
	    "\xff\xff\xff\xff\xff\xff\xff\xff"
	    "AB",
	    10);
	put(buf, n);
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_CLOSE);
}
END_TEST

START_TEST(test_conn_params_over_limit)
{
	static unsigned char buf[8192];
	char big[5000];
	unsigned char p[5100];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	size_t pl = pair(p, "HTTP_X", big);
	size_t n = begin(buf, 1, true);
	n += rec(buf + n, RSP__FCGI_PARAMS, 1, p, pl);
	n += rec(buf + n, RSP__FCGI_PARAMS, 1, "", 0);
	put(buf, n);
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_READY);
	ck_assert(rsp__conn_overflow(conn));
	ck_assert_ptr_null(rsp__conn_envp(conn)[0]);
}
END_TEST

START_TEST(test_conn_body_stall_times_out)
{
	unsigned char buf[512];
	char b[16];
	size_t n = request(buf, 1, false, "abc");
	put(buf, n - 8); /* the body's end never comes */
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_READY);
	ck_assert_int_eq(rsp__conn_read(conn, b, sizeof(b)), 3);
	ck_assert_int_eq(rsp__conn_read(conn, b, sizeof(b)),
	    -1); /* after 300 ms */
	ck_assert_str_eq(rsp__conn_why(conn),
	    "the web server sent nothing for RSP_READ_TIMEOUT");
	/* the answer can still go out */
	ck_assert_int_eq(rsp__conn_end(conn, NULL, 0, "late", 4), RSP_OK);
}
END_TEST

START_TEST(test_conn_peer_gone)
{
	unsigned char buf[512];
	put(buf, request(buf, 1, true, ""));
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_READY);
	close(peer);
	peer = open("/dev/null", O_RDONLY);
	rsp_sink s = rsp__conn_sink(conn);
	ck_assert_int_eq(s.write(s.ctx, "x", 1), RSP_EIO);
	ck_assert_int_eq(rsp__conn_end(conn, NULL, 0, "y", 1), RSP_EIO);
	ck_assert(!rsp__conn_reusable(conn));
}
END_TEST

/* Large output: records of at most 65528 bytes, whole, in order. */
START_TEST(test_conn_large_output_records)
{
	unsigned char buf[512];
	size_t big = 200000;
	char *data = malloc(big);
	unsigned char *got = malloc(big + 4096);
	for (size_t i = 0; i < big; i++)
		data[i] = (char)('a' + i % 26);
	put(buf, request(buf, 1, false, ""));
	ck_assert_int_eq(rsp__conn_advance(conn, true), RSP__CONN_READY);
	/* the peer must read while the connection writes */
	pid_t pid = fork();
	if (pid == 0) {
		int rc = rsp__conn_end(conn, NULL, 0, data, big);
		free(data); /* valgrind follows the child: nothing left over */
		free(got);
		rsp__conn_free(conn);
		_exit(rc == RSP_OK ? 0 : 1);
	}
	rsp__conn_close(
	    conn); /* the child's copy is the writer; EOF when it exits */
	size_t n = 0;
	ssize_t r;
	while ((r = read(peer, got + n, big + 4096 - n)) > 0)
		n += (size_t)r;
	int st;
	waitpid(pid, &st, 0);
	ck_assert_int_eq(st, 0);
	size_t at = 0, out = 0;
	while (at + 8 <= n) {
		struct rsp__fcgi_hdr h;
		rsp__fcgi_hdr_read(got + at, &h);
		if (h.type == RSP__FCGI_END_REQUEST)
			break;
		ck_assert_uint_eq(h.type, RSP__FCGI_STDOUT);
		ck_assert_uint_le(h.clen, 65528);
		ck_assert_mem_eq(got + at + 8, data + out, h.clen);
		out += h.clen;
		at += 8 + h.clen + h.plen;
	}
	ck_assert_uint_eq(out, big);
	free(data);
	free(got);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fcgi");
	TCase *tc = tcase_create("records");
	tcase_add_checked_fixture(tc, NULL, env_teardown);
	tcase_add_test(tc, test_header_bytes);
	tcase_add_test(tc, test_end_and_unknown_bytes);
	tcase_add_test(tc, test_get_values_result);
	tcase_add_test(tc, test_params_decode_in_place);
	tcase_add_test(tc, test_params_value_with_nul_left_out);
	tcase_add_test(tc, test_params_malformed);
	tcase_add_test(tc, test_params_page_boundary);
	suite_add_tcase(s, tc);

	tc = tcase_create("connection");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, conn_setup, conn_teardown);
	tcase_add_test(tc, test_conn_request_and_one_end);
	tcase_add_test(tc, test_conn_not_kept);
	tcase_add_test(tc, test_conn_unread_body_skipped);
	tcase_add_test(tc, test_conn_management);
	tcase_add_test(tc, test_conn_abort_while_serving);
	tcase_add_test(tc, test_conn_second_begin_refused);
	tcase_add_test(tc, test_conn_stream_without_begin);
	tcase_add_test(tc, test_conn_absurd_pair_closes_at_once);
	tcase_add_test(tc, test_conn_params_over_limit);
	tcase_add_test(tc, test_conn_body_stall_times_out);
	tcase_add_test(tc, test_conn_peer_gone);
	tcase_add_test(tc, test_conn_large_output_records);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
