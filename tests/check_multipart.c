/* check_multipart.c - multipart/form-data bodies: fields and uploads, the
 * boundary rules, delimiters, part headers, limits, temporary-file spill,
 * and the same result whatever the read chunk size. */
#include "requtil.h"

#define CRLF "\r\n"
#define CD "Content-Disposition: form-data; "

/* A POST with the given Content-Type and body; CONTENT_LENGTH = len. */
static rsp_request *mp_req_lim(const char *ct, const void *body, size_t len,
    const struct rsp_limits *lim)
{
	char *c1 = tu_strdupf("CONTENT_TYPE=%s", ct);
	char *c2 = tu_strdupf("CONTENT_LENGTH=%zu", len);
	char *env[] = { (char *)"REQUEST_METHOD=POST", c1, c2, NULL };
	rsp_request *r = rsp_request_from_memory_with(env, body, len, lim);
	free(c1);
	free(c2);
	ck_assert_ptr_nonnull(r);
	return r;
}

static rsp_request *mp_req(const char *ct, const char *body)
{
	return mp_req_lim(ct, body, strlen(body), NULL);
}

#define MPB "multipart/form-data; boundary=XyZ"
#define APP(b, lit) rsp__buf_append(&(b), (lit), sizeof(lit) - 1)

/* Everything the request exposes of a form, as text. */
static char *form_dump(rsp_request *r)
{
	struct rsp_buffer b = { 0 };
	size_t pos = 0;
	const char *n, *v;
	while (rsp_request_form_next(r, &pos, &n, &v)) {
		char *en = tu_escape(n, strlen(n)),
		     *ev = tu_escape(v, strlen(v));
		char *line = tu_strdupf("field %s=%s\n", en, ev);
		rsp__buf_append(&b, line, strlen(line));
		free(en);
		free(ev);
		free(line);
	}
	pos = 0;
	const struct rsp_upload *u;
	while ((u = rsp_request_upload_next(r, &pos)) != NULL) {
		char *en = tu_escape(u->name, strlen(u->name));
		char *ef = tu_escape(u->filename, strlen(u->filename));
		char *ed = tu_escape(u->data, u->len);
		char *line = tu_strdupf("upload %s file=%s type=%s data=%s\n",
		    en, ef, u->content_type, ed);
		rsp__buf_append(&b, line, strlen(line));
		free(en);
		free(ef);
		free(ed);
		free(line);
	}
	rsp__buf_append(&b, "", 1);
	return b.data;
}

static void expect_form(const char *ct, const char *body, const char *exp)
{
	rsp_request *r = mp_req(ct, body);
	int st = rsp_request_status(r);
	char *eb = tu_escape(body, strlen(body));
	ck_assert_msg(st == RSP_OK, "status %d for %s", st, eb);
	char *d = form_dump(r);
	char *m = tu_diff(d, strlen(d), exp, strlen(exp));
	ck_assert_msg(m == NULL, "%s: %s", eb, m ? m : "");
	free(d);
	free(eb);
	rsp_request_free(r);
}

static void expect_err(const char *ct, const void *body, size_t len, int rc,
    const struct rsp_limits *lim)
{
	rsp_request *r = mp_req_lim(ct, body, len, lim);
	int st = rsp_request_status(r);
	char *eb = tu_escape(body, len > 300 ? 300 : len);
	ck_assert_msg(st == rc, "status %d (expected %d) for %s", st, rc, eb);
	size_t pos = 0;
	ck_assert_ptr_null(rsp_request_form(r, "a"));
	ck_assert_ptr_null(rsp_request_upload(r, "f"));
	ck_assert(!rsp_request_form_next(r, &pos, NULL, NULL));
	pos = 0;
	ck_assert_ptr_null(rsp_request_upload_next(r, &pos));
	ck_assert_uint_eq(rsp_request_form_all(r, "a", NULL, 0), 0);
	free(eb);
	rsp_request_free(r);
}
#define ERR(ct, lit, rc) expect_err((ct), (lit), sizeof(lit) - 1, (rc), NULL)

/* ---- well-formed bodies ---------------------------------------------- */

START_TEST(test_fields_and_upload)
{
	const char body[] =
	    "--XyZ" CRLF CD "name=\"a\"" CRLF CRLF "1" CRLF "--XyZ" CRLF CD
	    "name=\"f\"; filename=\"hello.txt\"" CRLF
	    "Content-Type: application/octet-stream" CRLF CRLF
	    "bin\0ary\r\ndata" CRLF "--XyZ" CRLF
	    "content-disposition: FORM-DATA; NAME=b" CRLF CRLF
	    "two\r\nlines" CRLF "--XyZ" CRLF CD "name=\"a\"" CRLF CRLF CRLF
	    "--XyZ--" CRLF;
	rsp_request *r = mp_req_lim(MPB, body, sizeof body - 1, NULL);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_str(rsp_request_form(r, "a"), "1");
	ck_str(rsp_request_form(r, "b"), "two\r\nlines");
	ck_str(rsp_request_form(r, "f"), NULL); /* an upload */
	const char *v[3];
	ck_assert_uint_eq(rsp_request_form_all(r, "a", v, 3), 2);
	ck_str(v[0], "1");
	ck_str(v[1], ""); /* the CRLF belongs to the delimiter */
	const struct rsp_upload *u = rsp_request_upload(r, "f");
	ck_assert_ptr_nonnull(u);
	ck_str(u->name, "f");
	ck_str(u->filename, "hello.txt");
	ck_str(u->content_type, "application/octet-stream");
	ck_bytes(u->data, u->len, "bin\0ary\r\ndata", 13);
	ck_assert_ptr_null(rsp_request_upload(r, "a")); /* a field */
	ck_assert_ptr_null(rsp_request_upload(r, "zz"));
	/* the raw body is still there */
	const void *d;
	size_t len;
	ck_ok(rsp_request_body(r, &d, &len));
	ck_bytes(d, len, body, sizeof body - 1);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_preamble_epilogue)
{
	expect_form(MPB,
	    "This is the preamble --XyZ not a delimiter" CRLF "--XyZ" CRLF CD
	    "name=a" CRLF CRLF "1" CRLF "--XyZ--" CRLF "epilogue" CRLF
	    "--XyZ" CRLF CD "name=b" CRLF CRLF "2" CRLF "--XyZ--",
	    "field \"a\"=\"1\"\n");
	/* 64 KiB of CRLF before, junk after */
	struct rsp_buffer b = { 0 };
	for (int i = 0; i < 32768; i++)
		rsp__buf_append(&b, CRLF, 2);
	const char mid[] =
	    "--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ--";
	rsp__buf_append(&b, mid, sizeof mid - 1);
	for (int i = 0; i < 65536; i++)
		rsp__buf_append(&b, "j", 1);
	rsp__buf_append(&b, "", 1);
	expect_form(MPB, b.data, "field \"a\"=\"1\"\n");
	rsp_buffer_free(&b);
}
END_TEST

START_TEST(test_empty_and_padding)
{
	expect_form(MPB, "--XyZ--", "");
	expect_form(MPB, "--XyZ--" CRLF, "");
	expect_form(MPB, "preamble" CRLF "--XyZ--", "");
	/* transport padding after the boundary */
	expect_form(MPB,
	    "--XyZ \t" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ  " CRLF CD
	    "name=b" CRLF CRLF CRLF "--XyZ--",
	    "field \"a\"=\"1\"\n"
	    "field \"b\"=\"\"\n");
	/* empty value */
	expect_form(MPB, "--XyZ" CRLF CD "name=a" CRLF CRLF CRLF "--XyZ--",
	    "field \"a\"=\"\"\n");
}
END_TEST

START_TEST(test_boundary_forms)
{
	const char *body =
	    "--a b" CRLF CD "name=x" CRLF CRLF "1" CRLF "--a b--";
	expect_form("multipart/form-data; boundary=\"a b\"", body,
	    "field \"x\"=\"1\"\n");
	expect_form("Multipart/Form-Data;BOUNDARY=XyZ;charset=utf-8",
	    "--XyZ" CRLF CD "name=x" CRLF CRLF "1" CRLF "--XyZ--",
	    "field \"x\"=\"1\"\n");
	expect_form("multipart/form-data ; charset=\"x;y\" ; boundary=\"XyZ\"",
	    "--XyZ" CRLF CD "name=x" CRLF CRLF "1" CRLF "--XyZ--",
	    "field \"x\"=\"1\"\n");
	/* every bchar, 70 of them */
	char bnd[71];
	const char *chars = "0123456789AZaz'()+_,-./:=? ";
	for (int i = 0; i < 70; i++)
		bnd[i] = chars[i % 26]; /* skip the trailing space */
	bnd[70] = '\0';
	char *ct = tu_strdupf("multipart/form-data; boundary=\"%s\"", bnd);
	char *b2 =
	    tu_strdupf("--%s" CRLF CD "name=x" CRLF CRLF "1" CRLF "--%s--", bnd,
	        bnd);
	expect_form(ct, b2, "field \"x\"=\"1\"\n");
	free(ct);
	free(b2);
	/* one-byte boundary */
	expect_form("multipart/form-data; boundary=-",
	    "---" CRLF CD "name=x" CRLF CRLF "1" CRLF "-----",
	    "field \"x\"=\"1\"\n");
}
END_TEST

START_TEST(test_near_miss_delimiters)
{
	expect_form(MPB,
	    "--XyZ" CRLF CD "name=a" CRLF CRLF "xx--XyZ" CRLF "--XyZa" CRLF
	    "--XyZ-x" CRLF "\r\n--Xy" CRLF "--XYZ" CRLF "--XyZ" CRLF CD
	    "name=b" CRLF CRLF "2" CRLF "--XyZ--",
	    "field \"a\"=\"xx--XyZ\\r\\n--XyZa\\r\\n--XyZ-x\\r\\n\\r\\n--Xy\\r\\n--XYZ\"\n"
	    "field \"b\"=\"2\"\n");
}
END_TEST

START_TEST(test_disposition_details)
{
	expect_form(MPB,
	    "--XyZ" CRLF CD
	    "filename=\"../../etc/passwd\"; name=\"f\"" CRLF CRLF "p" CRLF
	    "--XyZ" CRLF CD "name=\"g\"; filename=\"C:\\x\\y.txt\"" CRLF CRLF
	    "w" CRLF "--XyZ" CRLF CD
	    "name=\"h\"; filename=\"a\\\"b\\\\c\"; size=3; filename*=UTF-8''z" CRLF
	    "Content-Type:text/html;charset=utf-8  " CRLF
	    "Content-Transfer-Encoding: base64" CRLF
	    "X-Other: whatever" CRLF CRLF "aGk=" CRLF "--XyZ" CRLF CD
	    "name=\"\"; filename=\"\"" CRLF CRLF "" CRLF "--XyZ" CRLF
	    "Content-Disposition:form-data;name=\"q\\\"n\"" CRLF CRLF "v" CRLF
	    "--XyZ--",
	    "field \"q\\\"n\"=\"v\"\n"
	    "upload \"f\" file=\"../../etc/passwd\" type=text/plain data=\"p\"\n"
	    "upload \"g\" file=\"C:\\\\x\\\\y.txt\" type=text/plain data=\"w\"\n"
	    "upload \"h\" file=\"a\\\"b\\\\c\" type=text/html;charset=utf-8 data=\"aGk=\"\n"
	    "upload \"\" file=\"\" type=text/plain data=\"\"\n");
}
END_TEST

/* ---- malformed bodies ------------------------------------------------- */

#define GOOD "--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ--"

START_TEST(test_bad_boundary)
{
	ERR("multipart/form-data", GOOD, RSP_EBADREQ);
	ERR("multipart/form-data;", GOOD, RSP_EBADREQ);
	ERR("multipart/form-data; boundary=", GOOD, RSP_EBADREQ);
	ERR("multipart/form-data; boundary=\"\"", GOOD, RSP_EBADREQ);
	ERR("multipart/form-data; boundary=XyZ; boundary=XyZ", GOOD,
	    RSP_EBADREQ);
	ERR("multipart/form-data; boundary=\"XyZ \"", GOOD, RSP_EBADREQ);
	ERR("multipart/form-data; boundary=\"Xy;Z\"", GOOD, RSP_EBADREQ);
	ERR("multipart/form-data; boundary=\"Xy\\\"Z\"", GOOD, RSP_EBADREQ);
	ERR("multipart/form-data; boundary=\"Xy\x01Z\"", GOOD, RSP_EBADREQ);
	ERR("multipart/form-data; boundary=Xy!Z", GOOD, RSP_EBADREQ);
	ERR("multipart/form-data; boundary=\"XyZ", GOOD, RSP_EBADREQ);
	ERR("multipart/form-data; boundary XyZ", GOOD, RSP_EBADREQ);
	ERR("multipart/form-data; boundary=XyZ junk", GOOD, RSP_EBADREQ);
	/* 71 bytes */
	char b71[72];
	memset(b71, 'b', 71);
	b71[71] = '\0';
	char *ct = tu_strdupf("multipart/form-data; boundary=%s", b71);
	char *body =
	    tu_strdupf("--%s" CRLF CD "name=a" CRLF CRLF "1" CRLF "--%s--", b71,
	        b71);
	expect_err(ct, body, strlen(body), RSP_EBADREQ, NULL);
	/* ... unless the limit is raised */
	struct rsp_limits lim = { .max_boundary = 100 };
	rsp_request *r = mp_req_lim(ct, body, strlen(body), &lim);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_str(rsp_request_form(r, "a"), "1");
	rsp_request_free(r);
	free(ct);
	free(body);
	/* 70 is fine */
	b71[70] = '\0';
	ct = tu_strdupf("multipart/form-data; boundary=%s", b71);
	body = tu_strdupf("--%s" CRLF CD "name=a" CRLF CRLF "1" CRLF "--%s--",
	    b71, b71);
	r = mp_req(ct, body);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_str(rsp_request_form(r, "a"), "1");
	rsp_request_free(r);
	free(ct);
	free(body);
}
END_TEST

START_TEST(test_missing_delimiters)
{
	ERR(MPB, "", RSP_EBADREQ);
	ERR(MPB, "no boundary anywhere in this body", RSP_EBADREQ);
	ERR(MPB, "--XyZ", RSP_EBADREQ);
	ERR(MPB, "--XyZ-", RSP_EBADREQ);
	ERR(MPB, "--XyZx" CRLF, RSP_EBADREQ);
	/* no closing delimiter */
	ERR(MPB, "--XyZ" CRLF CD "name=a" CRLF CRLF "1", RSP_EBADREQ);
	ERR(MPB, "--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF, RSP_EBADREQ);
	ERR(MPB, "--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ",
	    RSP_EBADREQ);
	ERR(MPB, "--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ-",
	    RSP_EBADREQ);
	ERR(MPB, "--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ" CRLF,
	    RSP_EBADREQ);
	ERR(MPB, "--XyZ" CRLF CD "name=a" CRLF CRLF "1--XyZ--", RSP_EBADREQ);
	/* the body ends inside the headers */
	ERR(MPB, "--XyZ" CRLF CD "name=a", RSP_EBADREQ);
	ERR(MPB, "--XyZ" CRLF CD "name=a" CRLF, RSP_EBADREQ);
	/* bare LF line ends */
	ERR(MPB, "--XyZ\n" CD "name=a\n\n1\n--XyZ--", RSP_EBADREQ);
	/* empty body with a declared length of 0 */
	rsp_request *r = mp_req(MPB, "");
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	rsp_request_free(r);
}
END_TEST

START_TEST(test_bad_part_headers)
{
	/* no Content-Disposition */
	ERR(MPB, "--XyZ" CRLF CRLF "1" CRLF "--XyZ--", RSP_EBADREQ);
	ERR(MPB,
	    "--XyZ" CRLF "Content-Type: text/plain" CRLF CRLF "1" CRLF
	    "--XyZ--",
	    RSP_EBADREQ);
	/* not form-data, no name */
	ERR(MPB,
	    "--XyZ" CRLF "Content-Disposition: attachment; name=a" CRLF CRLF
	    "1" CRLF "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB,
	    "--XyZ" CRLF "Content-Disposition: form-data" CRLF CRLF "1" CRLF
	    "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB,
	    "--XyZ" CRLF "Content-Disposition: form-data; filename=x" CRLF CRLF
	    "1" CRLF "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB,
	    "--XyZ" CRLF "Content-Disposition: form-datax; name=a" CRLF CRLF
	    "1" CRLF "--XyZ--",
	    RSP_EBADREQ);
	/* duplicates */
	ERR(MPB, "--XyZ" CRLF CD "name=a; name=b" CRLF CRLF "1" CRLF "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB,
	    "--XyZ" CRLF CD "name=a; filename=x; filename=y" CRLF CRLF "1" CRLF
	    "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB,
	    "--XyZ" CRLF CD "name=a" CRLF CD "name=b" CRLF CRLF "1" CRLF
	    "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB,
	    "--XyZ" CRLF CD "name=a" CRLF "Content-Type: a/b" CRLF
	    "Content-Type: c/d" CRLF CRLF "1" CRLF "--XyZ--",
	    RSP_EBADREQ);
	/* header syntax */
	ERR(MPB,
	    "--XyZ" CRLF CD "name=a" CRLF "no colon" CRLF CRLF "1" CRLF
	    "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB,
	    "--XyZ" CRLF CD "name=a" CRLF "X-A : b" CRLF CRLF "1" CRLF
	    "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB,
	    "--XyZ" CRLF CD "name=a" CRLF " folded" CRLF CRLF "1" CRLF
	    "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB, "--XyZ" CRLF CD "name=\"a\rb\"" CRLF CRLF "1" CRLF "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB, "--XyZ" CRLF CD "name=\"a\nb\"" CRLF CRLF "1" CRLF "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB, "--XyZ" CRLF CD "name=\"a" CRLF CRLF "1" CRLF "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB, "--XyZ" CRLF CD "name=a b" CRLF CRLF "1" CRLF "--XyZ--",
	    RSP_EBADREQ);
	ERR(MPB, "--XyZ" CRLF CD "name=" CRLF CRLF "1" CRLF "--XyZ--",
	    RSP_EBADREQ);
	const char nul_hdr[] = "--XyZ" CRLF CD "name=a" CRLF "X: a\0b" CRLF CRLF
	                       "1" CRLF "--XyZ--";
	expect_err(MPB, nul_hdr, sizeof nul_hdr - 1, RSP_EBADREQ, NULL);
	/* a field value with a NUL byte is malformed; an upload may hold one */
	const char nul_field[] =
	    "--XyZ" CRLF CD "name=a" CRLF CRLF "1\0002" CRLF "--XyZ--";
	expect_err(MPB, nul_field, sizeof nul_field - 1, RSP_EBADREQ, NULL);
	/* one bad part spoils the whole form */
	ERR(MPB,
	    "--XyZ" CRLF CD "name=a" CRLF CRLF "1" CRLF "--XyZ" CRLF CRLF
	    "2" CRLF "--XyZ--",
	    RSP_EBADREQ);
}
END_TEST

/* ---- limits ------------------------------------------------------------ */

static char *many_parts(size_t n, size_t *len)
{
	static const char part[] =
	    "--XyZ" CRLF CD "name=\"a\"" CRLF CRLF "v" CRLF;
	size_t pl = sizeof part - 1;
	char *b = malloc(n * pl + 8);
	for (size_t i = 0; i < n; i++)
		memcpy(b + i * pl, part, pl);
	memcpy(b + n * pl, "--XyZ--", 7);
	*len = n * pl + 7;
	b[*len] = '\0';
	return b;
}

START_TEST(test_part_limit)
{
	size_t len;
	char *b = many_parts(100000, &len);
	expect_err(MPB, b, len, RSP_ELIMIT, NULL);
	free(b);
	b = many_parts(1000, &len);
	rsp_request *r = mp_req_lim(MPB, b, len, NULL);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_assert_uint_eq(rsp_request_form_all(r, "a", NULL, 0), 1000);
	rsp_request_free(r);
	free(b);
	b = many_parts(1001, &len);
	expect_err(MPB, b, len, RSP_ELIMIT, NULL);
	free(b);
	struct rsp_limits lim = { .max_parts = 3 };
	b = many_parts(3, &len);
	r = mp_req_lim(MPB, b, len, &lim);
	ck_rc(rsp_request_status(r), RSP_OK);
	rsp_request_free(r);
	free(b);
	b = many_parts(4, &len);
	expect_err(MPB, b, len, RSP_ELIMIT, &lim);
	free(b);
}
END_TEST

START_TEST(test_part_header_limit)
{
	/* a 1 MiB header line */
	size_t n = 1 << 20;
	struct rsp_buffer b = { 0 };
	APP(b, "--XyZ" CRLF CD "name=a" CRLF "X-Big: ");
	for (size_t i = 0; i < n; i++)
		rsp__buf_append(&b, "x", 1);
	APP(b, CRLF CRLF "1" CRLF "--XyZ--");
	expect_err(MPB, b.data, b.len, RSP_ELIMIT, NULL);
	rsp_buffer_free(&b);

	/* 20 000 short header lines */
	APP(b, "--XyZ" CRLF CD "name=a" CRLF);
	for (int i = 0; i < 20000; i++)
		APP(b, "X: y" CRLF);
	APP(b, CRLF "1" CRLF "--XyZ--");
	expect_err(MPB, b.data, b.len, RSP_ELIMIT, NULL);
	rsp_buffer_free(&b);

	/* the header block (with its empty line) may be exactly the limit */
	char hdr[8192];
	const char cd[] = CD "name=a" CRLF "X: ";
	size_t fill = 8192 - (sizeof cd - 1) - 4;
	memcpy(hdr, cd, sizeof cd - 1);
	memset(hdr + sizeof cd - 1, 'y', fill);
	memcpy(hdr + 8192 - 4, CRLF CRLF, 4);
	APP(b, "--XyZ" CRLF);
	rsp__buf_append(&b, hdr, 8192);
	APP(b, "1" CRLF "--XyZ--");
	rsp_request *r = mp_req_lim(MPB, b.data, b.len, NULL);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_str(rsp_request_form(r, "a"), "1");
	rsp_request_free(r);
	rsp_buffer_free(&b);
	/* one byte more is over */
	APP(b, "--XyZ" CRLF);
	rsp__buf_append(&b, hdr, 8192 - 4);
	APP(b, "y" CRLF CRLF "1" CRLF "--XyZ--");
	expect_err(MPB, b.data, b.len, RSP_ELIMIT, NULL);
	rsp_buffer_free(&b);
}
END_TEST

START_TEST(test_body_limit)
{
	struct rsp_limits lim = { .max_body = 10 };
	ERR("text/plain", "x", RSP_OK);
	expect_err(MPB, GOOD, sizeof GOOD - 1, RSP_ELIMIT, &lim);
	/* malformed wins over the limit */
	expect_err("multipart/form-data", GOOD, sizeof GOOD - 1, RSP_EBADREQ,
	    &lim);
	/* shorter than declared */
	char *env[] = { (char *)"REQUEST_METHOD=POST",
		(char *)"CONTENT_TYPE=" MPB, (char *)"CONTENT_LENGTH=1000",
		NULL };
	rsp_request *r = rsp_request_from_memory(env, GOOD, sizeof GOOD - 1);
	ck_rc(rsp_request_status(r), RSP_EBADREQ);
	ck_assert_ptr_null(rsp_request_form(r, "a"));
	rsp_request_free(r);
}
END_TEST

/* ---- spill and chunking ------------------------------------------------- */

static struct rsp_buffer big_upload(size_t n)
{
	struct rsp_buffer b = { 0 };
	const char head[] =
	    "--XyZ" CRLF CD "name=\"t\"" CRLF CRLF "text" CRLF "--XyZ" CRLF CD
	    "name=\"f\"; filename=\"big.bin\"" CRLF
	    "Content-Type: application/octet-stream" CRLF CRLF;
	rsp__buf_append(&b, head, sizeof head - 1);
	unsigned char *data = tu_pattern_bytes(n);
	rsp__buf_append(&b, data, n);
	free(data);
	const char tail[] = CRLF "--XyZ" CRLF CD "name=\"u\"" CRLF CRLF
	                         "after" CRLF "--XyZ--" CRLF;
	rsp__buf_append(&b, tail, sizeof tail - 1);
	return b;
}

START_TEST(test_large_upload_spills)
{
	size_t n = (5u << 20) + 3;
	struct rsp_buffer b = big_upload(n);
	rsp_request *r = mp_req_lim(MPB, b.data, b.len, NULL);
	ck_rc(rsp_request_status(r), RSP_OK);
	const struct rsp_upload *u = rsp_request_upload(r, "f");
	ck_assert_ptr_nonnull(u);
	ck_assert_uint_eq(u->len, n);
	unsigned char *exp = tu_pattern_bytes(n);
	ck_assert(memcmp(u->data, exp, n) == 0);
	free(exp);
	ck_str(u->filename, "big.bin");
	ck_str(rsp_request_form(r, "t"), "text");
	ck_str(rsp_request_form(r, "u"), "after");
	ck_assert_msg(in_deleted_file_mapping(u->data),
	    "the upload is not in a mapped temporary file");
	rsp_request_free(r);

	/* the same below the threshold stays on the heap */
	struct rsp_buffer s = big_upload(1000);
	r = mp_req_lim(MPB, s.data, s.len, NULL);
	ck_rc(rsp_request_status(r), RSP_OK);
	u = rsp_request_upload(r, "f");
	ck_assert_uint_eq(u->len, 1000);
	ck_assert(!in_deleted_file_mapping(u->data));
	rsp_request_free(r);
	rsp_buffer_free(&s);
	rsp_buffer_free(&b);
}
END_TEST

START_TEST(test_spill_tmpdir)
{
	/* TMPDIR is honoured; a directory that does not exist is an I/O error */
	struct rsp_buffer b = big_upload(3000);
	struct rsp_limits lim = { .spill_threshold = 100 };
	setenv("TMPDIR", "/nonexistent/dir", 1);
	rsp_request *r = mp_req_lim(MPB, b.data, b.len, &lim);
	ck_rc(rsp_request_status(r), RSP_EIO);
	ck_assert_ptr_null(rsp_request_upload(r, "f"));
	rsp_request_free(r);
	setenv("TMPDIR", "/tmp", 1);
	r = mp_req_lim(MPB, b.data, b.len, &lim);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_assert_uint_eq(rsp_request_upload(r, "f")->len, 3000);
	rsp_request_free(r);
	unsetenv("TMPDIR");
	rsp_buffer_free(&b);
}
END_TEST

/* The same body read 1, 2, 3, 7, 4096 bytes at a time (and whole, and
 * spilled) gives exactly the same form. */
START_TEST(test_chunking_invariance)
{
	struct rsp_buffer b = big_upload(20000);
	char *cl = tu_strdupf("CONTENT_LENGTH=%zu", b.len);
	char *env[] = { (char *)"REQUEST_METHOD=POST",
		(char *)"CONTENT_TYPE=" MPB, cl, NULL };
	rsp_request *r0 = rsp_request_from_memory(env, b.data, b.len);
	ck_rc(rsp_request_status(r0), RSP_OK);
	char *exp = form_dump(r0);
	rsp_request_free(r0);
	static const size_t chunks[] = { 1, 2, 3, 7, 4096, 0 };
	for (int spill = 0; spill < 2; spill++) {
		for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
			struct tr t = tr_make(b.data, b.len, chunks[i]);
			struct rsp_limits lim = { .spill_threshold =
				                      spill ? 1000 : 0 };
			rsp_request *r =
			    rsp__request_new_reader(env, tr_read, &t, &lim);
			ck_rc(rsp_request_status(r), RSP_OK);
			char *d = form_dump(r);
			ck_bytes(d, strlen(d), exp, strlen(exp));
			ck_assert_uint_eq(t.pos, b.len);
			if (chunks[i] == 1)
				ck_assert_uint_ge(t.calls, b.len);
			free(d);
			rsp_request_free(r);
		}
	}
	free(exp);
	free(cl);
	rsp_buffer_free(&b);
}
END_TEST

/* Near-miss delimiters in a large part: linear, and the same result. */
START_TEST(test_adversarial_linear)
{
	char bnd[71];
	memset(bnd, 'q', 70);
	bnd[70] = '\0';
	struct rsp_buffer b = { 0 };
	char *open =
	    tu_strdupf("--%s" CRLF CD "name=\"f\"; filename=x" CRLF CRLF, bnd);
	rsp__buf_append(&b, open, strlen(open));
	/* 4 MiB of "\r\n--qqq...q" prefixes that never complete */
	char miss[4 + 69];
	memcpy(miss, CRLF "--", 4);
	memset(miss + 4, 'q', 69);
	size_t payload = 0;
	while (payload < (4u << 20)) {
		rsp__buf_append(&b, miss, sizeof miss);
		payload += sizeof miss;
	}
	char *close = tu_strdupf(CRLF "--%s--", bnd);
	rsp__buf_append(&b, close, strlen(close));
	char *ct = tu_strdupf("multipart/form-data; boundary=%s", bnd);
	rsp_request *r = mp_req_lim(ct, b.data, b.len, NULL);
	ck_rc(rsp_request_status(r), RSP_OK);
	ck_assert_uint_eq(rsp_request_upload(r, "f")->len, payload);
	rsp_request_free(r);
	free(open);
	free(close);
	free(ct);
	rsp_buffer_free(&b);
}
END_TEST

/* Direct calls at a page end: the parser never reads past the body. */
START_TEST(test_parser_page_boundary)
{
	static const char *const bodies[] = {
		"--XyZ",
		"--XyZ-",
		"--XyZ--",
		"--XyZ ",
		"--XyZ\r",
		"--XyZ\r\n",
		"--XyZ\r\n" CD "name=a",
		"--XyZ\r\n" CD "name=a\r\n\r",
		"--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--Xy",
		"--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--XyZ",
		"--XyZ\r\n" CD "name=a\r\n\r\n1\r\n--XyZ-",
		"--XyZ\r\n" CD "name=\"a\r\n\r\n1\r\n--XyZ--",
	};
	struct rsp_limits lim;
	rsp__limits_resolve(&lim, NULL);
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		size_t len = strlen(bodies[i]);
		struct guard g = guard_place(bodies[i], len);
		struct rsp__arena a;
		struct rsp__multipart mp;
		rsp__arena_init(&a);
		int rc = rsp__multipart_parse(&a, (const unsigned char *)g.p,
		    len, "XyZ", 3, &lim, &mp);
		ck_assert(rc == RSP_OK || rc == RSP_EBADREQ);
		rsp__arena_free(&a);
		guard_free(&g);
	}
	/* and the Content-Type parameter parser */
	static const char *const cts[] = {
		"multipart/form-data; boundary=\"",
		"multipart/form-data; boundary=\"a\\",
		"multipart/form-data; boundary=",
		"multipart/form-data; b",
		"multipart/form-data;",
		"multipart/form-data; boundary=ab",
	};
	for (size_t i = 0; i < sizeof cts / sizeof cts[0]; i++) {
		size_t len = strlen(cts[i]);
		struct guard g = guard_place(cts[i], len);
		struct rsp__arena a;
		const char *bnd;
		size_t blen;
		rsp__arena_init(&a);
		int rc = rsp__multipart_boundary(&a, g.p, len, 70, &bnd, &blen);
		ck_assert_int_eq(rc, i == 5 ? RSP_OK : RSP_EBADREQ);
		rsp__arena_free(&a);
		guard_free(&g);
	}
}
END_TEST

/* Random mutations of a valid body: never a crash, and reading it whole or
 * a byte at a time gives the same status and the same form. */
START_TEST(test_mutations_chunking)
{
	static const char base[] =
	    "pre" CRLF "--XyZ" CRLF CD "name=\"a\"" CRLF CRLF "1" CRLF
	    "--XyZ" CRLF CD "name=\"f\"; filename=\"x.txt\"" CRLF
	    "Content-Type: text/plain" CRLF CRLF "da\r\nta" CRLF "--XyZ" CRLF CD
	    "name=b" CRLF CRLF CRLF "--XyZ--" CRLF "epi";
	static const char *const frags[] = {
		"\r\n",
		"--",
		"XyZ",
		"--XyZ",
		"\r\n--XyZ",
		"\"",
		";",
		"=",
		":",
		" ",
		"\0",
		"name=",
		"filename=",
		"form-data",
		"\\",
	};
	unsigned seed = 777;
	char *cl = NULL;
	for (int round = 0; round < 400; round++) {
		char buf[512];
		size_t len = sizeof base - 1;
		memcpy(buf, base, len);
		int edits = 1 + round % 4;
		for (int e = 0; e < edits; e++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % (len + 1);
			seed = seed * 1103515245u + 12345u;
			unsigned op = (seed >> 8) % 3;
			if (op == 0 && len > 0 && at < len) { /* delete */
				size_t n = 1 + (seed >> 12) % 8;
				if (n > len - at)
					n = len - at;
				memmove(buf + at, buf + at + n, len - at - n);
				len -= n;
			} else if (op == 1 && at < len) { /* flip */
				buf[at] = (char)(seed >> 16);
			} else { /* insert */
				const char *f = frags[(seed >> 12) % 15];
				size_t n = f[0] == '\0' ? 1 : strlen(f);
				if (len + n > sizeof buf)
					continue;
				memmove(buf + at + n, buf + at, len - at);
				memcpy(buf + at, f, n);
				len += n;
			}
		}
		free(cl);
		cl = tu_strdupf("CONTENT_LENGTH=%zu", len);
		char *env[] = { (char *)"REQUEST_METHOD=POST",
			(char *)"CONTENT_TYPE=" MPB, cl, NULL };
		rsp_request *r1 = rsp_request_from_memory(env, buf, len);
		struct tr t = tr_make(buf, len, 1);
		rsp_request *r2 =
		    rsp__request_new_reader(env, tr_read, &t, NULL);
		int s1 = rsp_request_status(r1), s2 = rsp_request_status(r2);
		ck_assert_int_eq(s1, s2);
		ck_assert(s1 == RSP_OK || s1 == RSP_EBADREQ);
		char *d1 = form_dump(r1), *d2 = form_dump(r2);
		ck_bytes(d1, strlen(d1), d2, strlen(d2));
		if (s1 != RSP_OK)
			ck_assert_uint_eq(strlen(d1), 0);
		free(d1);
		free(d2);
		rsp_request_free(r1);
		rsp_request_free(r2);
	}
	free(cl);
}
END_TEST

static Suite *multipart_suite(void)
{
	Suite *s = suite_create("multipart");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, test_fields_and_upload);
	tcase_add_test(tc, test_preamble_epilogue);
	tcase_add_test(tc, test_empty_and_padding);
	tcase_add_test(tc, test_boundary_forms);
	tcase_add_test(tc, test_near_miss_delimiters);
	tcase_add_test(tc, test_disposition_details);
	tcase_add_test(tc, test_parser_page_boundary);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, test_bad_boundary);
	tcase_add_test(tc, test_missing_delimiters);
	tcase_add_test(tc, test_bad_part_headers);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_part_limit);
	tcase_add_test(tc, test_part_header_limit);
	tcase_add_test(tc, test_body_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("spill");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_large_upload_spills);
	tcase_add_test(tc, test_spill_tmpdir);
	tcase_add_test(tc, test_chunking_invariance);
	tcase_add_test(tc, test_adversarial_linear);
	tcase_add_test(tc, test_mutations_chunking);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(multipart_suite());
}
