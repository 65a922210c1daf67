/* check_files.c - HTTP dates, preconditions, ranges, Content-Disposition,
 * media types and rsp_serve_file: a table of requests answered from a
 * string and from a file with the exact bytes expected, and path escapes
 * that must be refused without the target ever being opened for reading. */
#include "testutil.h"

#include <stdint.h>
#include <sys/syscall.h>

/* ---- every openat of the process, recorded (interposes libc's) ---------- */

#define MAX_OPENS 256
static struct {
	char path[256];
	int flags;
} opens[MAX_OPENS];
static int nopens;
/* test_serve_swapped: after the first look at swap.txt, put a link there. */
static bool swap_armed;
static char swap_from[128], swap_to[128];

int openat(int dirfd, const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (nopens < MAX_OPENS) {
		snprintf(opens[nopens].path, sizeof(opens[0].path), "%s", path);
		opens[nopens].flags = flags;
		nopens++;
	}
	int fd = (int)syscall(SYS_openat, dirfd, path, flags, mode);
	if (swap_armed && (flags & O_PATH) && strcmp(path, "swap.txt") == 0) {
		swap_armed = false;
		if (rename(swap_from, swap_to) != 0)
			abort();
	}
	return fd;
}

/* Was anything whose last component is `leaf` opened other than O_PATH? */
static int opened_for_io(const char *leaf)
{
	int n = 0;
	for (int i = 0; i < nopens; i++) {
		const char *s = strrchr(opens[i].path, '/');
		s = s ? s + 1 : opens[i].path;
		if (strcmp(s, leaf) == 0 && !(opens[i].flags & O_PATH))
			n++;
	}
	return n;
}

/* ---- the table ------------------------------------------------------------- */

#define LM_T ((time_t)784111777)
#define D0 "Sun, 06 Nov 1994 08:49:37 GMT"
#define D850 "Sunday, 06-Nov-94 08:49:37 GMT"
#define DASC "Sun Nov  6 08:49:37 1994"
#define DOLD "Sat, 05 Nov 1994 08:49:37 GMT"
#define DNEW "Mon, 07 Nov 1994 08:49:37 GMT"
#define DFUT "Fri, 01 Jan 2100 00:00:00 GMT"
#define ABC "abcdefghijklmnopqrstuvwxyz"

#define CT "Content-Type: text/plain\r\n"
#define ET "ETag: \"v1\"\r\n"
#define LMH "Last-Modified: " D0 "\r\n"
#define AR "Accept-Ranges: bytes\r\n"
#define CL "Content-Length: %L\r\n"
#define H200 "Status: 200 OK\r\n" CT ET LMH AR CL
#define H200NR "Status: 200 OK\r\n" CT ET LMH CL
#define H206(cr)                                       \
	"Status: 206 Partial Content\r\n" CT ET LMH AR \
	"Content-Range: bytes " cr "\r\n" CL
#define BND "BBBBBBBBBBBBBBBBBBBB"
#define H206M                                               \
	"Status: 206 Partial Content\r\n"                   \
	"Content-Type: multipart/byteranges; boundary=" BND \
	"\r\n" ET LMH AR CL
#define PART(cr, data) \
	"\r\n--" BND "\r\n" CT "Content-Range: bytes " cr "\r\n\r\n" data
#define MEND "\r\n--" BND "--\r\n"
#define H304 "Status: 304 Not Modified\r\n" ET LMH
#define H412                                  \
	"Status: 412 Precondition Failed\r\n" \
	"Content-Type: application/json\r\n" CL
#define E412 \
	"{\"error\": {\"code\": 412, \"message\": \"Precondition Failed\"}}"
#define H416(n)                                                             \
	"Status: 416 Requested Range Not Satisfiable\r\n"                   \
	"Content-Type: application/json\r\n" CL "Content-Range: bytes */" n \
	"\r\n"
#define E416 \
	"{\"error\": {\"code\": 416, \"message\": \"Range Not Satisfiable\"}}"

struct fcase {
	const char *name, *method, *content;
	const char *if_match, *ius, *inm, *ims, *range, *if_range;
	int status;
	const char *head; /* status line and fields; %L: the body's length */
	const char *body; /* what GET sends (HEAD: the same length, no bytes) */
};

#define G(name, ...)                           \
	{                                      \
		name, "GET", NULL, __VA_ARGS__ \
	}
static const struct fcase cases[] = {
	/* name, method, content, If-Match, If-Unmodified-Since, If-None-Match,
	 * If-Modified-Since, Range, If-Range, status, head, body */
	G("plain", NULL, NULL, NULL, NULL, NULL, NULL, 200, H200, ABC),
	{ "head", "HEAD", NULL, NULL, NULL, NULL, NULL, NULL, NULL, 200, H200,
	    ABC },
	G("im match", "\"v1\"", NULL, NULL, NULL, NULL, NULL, 200, H200, ABC),
	G("im weak never strong", "W/\"v1\"", NULL, NULL, NULL, NULL, NULL, 412,
	    H412, E412),
	G("im other", "\"v2\"", NULL, NULL, NULL, NULL, NULL, 412, H412, E412),
	G("im star", "*", NULL, NULL, NULL, NULL, NULL, 200, H200, ABC),
	G("im list", "\"v2\", \"v1\"", NULL, NULL, NULL, NULL, NULL, 200, H200,
	    ABC),
	G("im list empty elements", "\"v2\",, \"v1\" ,", NULL, NULL, NULL, NULL,
	    NULL, 200, H200, ABC),
	G("im unquoted", "v1", NULL, NULL, NULL, NULL, NULL, 412, H412, E412),
	G("im prefix only", "\"v", NULL, NULL, NULL, NULL, NULL, 412, H412,
	    E412),
	G("ius equal", NULL, D0, NULL, NULL, NULL, NULL, 200, H200, ABC),
	G("ius older", NULL, DOLD, NULL, NULL, NULL, NULL, 412, H412, E412),
	G("ius newer", NULL, DNEW, NULL, NULL, NULL, NULL, 200, H200, ABC),
	G("ius rfc850", NULL, D850, NULL, NULL, NULL, NULL, 200, H200, ABC),
	G("ius asctime", NULL, DASC, NULL, NULL, NULL, NULL, 200, H200, ABC),
	G("ius rfc850 older", NULL, "Saturday, 05-Nov-94 08:49:37 GMT", NULL,
	    NULL, NULL, NULL, 412, H412, E412),
	G("ius asctime older", NULL, "Sat Nov  5 08:49:37 1994", NULL, NULL,
	    NULL, NULL, 412, H412, E412),
	G("ius invalid ignored", NULL, "yesterday", NULL, NULL, NULL, NULL, 200,
	    H200, ABC),
	G("im beats ius", "\"v1\"", DOLD, NULL, NULL, NULL, NULL, 200, H200,
	    ABC),
	G("im fails, ius fine", "\"v2\"", DNEW, NULL, NULL, NULL, NULL, 412,
	    H412, E412),
	G("inm match", NULL, NULL, "\"v1\"", NULL, NULL, NULL, 304, H304, ""),
	G("inm weak match", NULL, NULL, "W/\"v1\"", NULL, NULL, NULL, 304, H304,
	    ""),
	G("inm other", NULL, NULL, "\"v2\"", NULL, NULL, NULL, 200, H200, ABC),
	G("inm star", NULL, NULL, "*", NULL, NULL, NULL, 304, H304, ""),
	G("inm list", NULL, NULL, "\"v2\", W/\"v1\"", NULL, NULL, NULL, 304,
	    H304, ""),
	{ "inm post", "POST", NULL, NULL, NULL, "\"v1\"", NULL, NULL, NULL, 412,
	    H412, E412 },
	{ "inm head", "HEAD", NULL, NULL, NULL, "\"v1\"", NULL, NULL, NULL, 304,
	    H304, "" },
	{ "inm other post", "POST", NULL, NULL, NULL, "\"v2\"", NULL, NULL,
	    NULL, 200, H200, ABC },
	{ "inm star put", "PUT", NULL, NULL, NULL, "*", NULL, NULL, NULL, 412,
	    H412, E412 },
	G("inm malformed", NULL, NULL, "v1", NULL, NULL, NULL, 200, H200, ABC),
	G("ims equal", NULL, NULL, NULL, D0, NULL, NULL, 304, H304, ""),
	G("ims rfc850", NULL, NULL, NULL, D850, NULL, NULL, 304, H304, ""),
	G("ims asctime", NULL, NULL, NULL, DASC, NULL, NULL, 304, H304, ""),
	G("ims newer", NULL, NULL, NULL, DNEW, NULL, NULL, 304, H304, ""),
	G("ims older", NULL, NULL, NULL, DOLD, NULL, NULL, 200, H200, ABC),
	G("ims future ignored", NULL, NULL, NULL, DFUT, NULL, NULL, 200, H200,
	    ABC),
	G("ims invalid", NULL, NULL, NULL, "Sun, 06 Nov 1994", NULL, NULL, 200,
	    H200, ABC),
	G("ims lower-case day", NULL, NULL, NULL,
	    "sun, 06 Nov 1994 08:49:37 GMT", NULL, NULL, 200, H200, ABC),
	G("ims bad day of month", NULL, NULL, NULL,
	    "Sun, 31 Nov 1994 08:49:37 GMT", NULL, NULL, 200, H200, ABC),
	G("ims with OWS", NULL, NULL, NULL, " " D0 " ", NULL, NULL, 304, H304,
	    ""),
	{ "ims post", "POST", NULL, NULL, NULL, NULL, D0, NULL, NULL, 200, H200,
	    ABC },
	{ "ims head", "HEAD", NULL, NULL, NULL, NULL, D0, NULL, NULL, 304, H304,
	    "" },
	G("inm beats ims", NULL, NULL, "\"v2\"", D0, NULL, NULL, 200, H200,
	    ABC),
	G("inm match, ims older", NULL, NULL, "\"v1\"", DOLD, NULL, NULL, 304,
	    H304, ""),
	G("im before inm", "\"v2\"", NULL, "\"v1\"", NULL, NULL, NULL, 412,
	    H412, E412),
	G("ius before ims", NULL, DOLD, NULL, D0, NULL, NULL, 412, H412, E412),
	G("im and inm match", "\"v1\"", NULL, "\"v1\"", NULL, NULL, NULL, 304,
	    H304, ""),
	{ "im star post", "POST", NULL, "*", NULL, NULL, NULL, NULL, NULL, 200,
	    H200, ABC },
	/* ranges */
	G("range first byte", NULL, NULL, NULL, NULL, "bytes=0-0", NULL, 206,
	    H206("0-0/26"), "a"),
	G("range 0-4", NULL, NULL, NULL, NULL, "bytes=0-4", NULL, 206,
	    H206("0-4/26"), "abcde"),
	G("range last byte", NULL, NULL, NULL, NULL, "bytes=25-25", NULL, 206,
	    H206("25-25/26"), "z"),
	G("range open at eof", NULL, NULL, NULL, NULL, "bytes=25-", NULL, 206,
	    H206("25-25/26"), "z"),
	G("range open", NULL, NULL, NULL, NULL, "bytes=20-", NULL, 206,
	    H206("20-25/26"), "uvwxyz"),
	G("suffix 1", NULL, NULL, NULL, NULL, "bytes=-1", NULL, 206,
	    H206("25-25/26"), "z"),
	G("suffix 5", NULL, NULL, NULL, NULL, "bytes=-5", NULL, 206,
	    H206("21-25/26"), "vwxyz"),
	G("suffix whole", NULL, NULL, NULL, NULL, "bytes=-26", NULL, 206,
	    H206("0-25/26"), ABC),
	G("suffix larger", NULL, NULL, NULL, NULL, "bytes=-100", NULL, 206,
	    H206("0-25/26"), ABC),
	G("last past eof", NULL, NULL, NULL, NULL, "bytes=0-100", NULL, 206,
	    H206("0-25/26"), ABC),
	G("first at eof", NULL, NULL, NULL, NULL, "bytes=26-", NULL, 416,
	    H416("26"), E416),
	G("first at eof closed", NULL, NULL, NULL, NULL, "bytes=26-30", NULL,
	    416, H416("26"), E416),
	G("past eof", NULL, NULL, NULL, NULL, "bytes=100-200", NULL, 416,
	    H416("26"), E416),
	G("suffix zero", NULL, NULL, NULL, NULL, "bytes=-0", NULL, 416,
	    H416("26"), E416),
	G("reversed ignored", NULL, NULL, NULL, NULL, "bytes=5-3", NULL, 200,
	    H200, ABC),
	G("garbage ignored", NULL, NULL, NULL, NULL, "bytes=abc", NULL, 200,
	    H200, ABC),
	G("no spec ignored", NULL, NULL, NULL, NULL, "bytes=", NULL, 200, H200,
	    ABC),
	G("only commas ignored", NULL, NULL, NULL, NULL, "bytes=,,", NULL, 200,
	    H200, ABC),
	G("other unit ignored", NULL, NULL, NULL, NULL, "items=0-1", NULL, 200,
	    H200, ABC),
	G("unit any case", NULL, NULL, NULL, NULL, "BYTES=0-1", NULL, 206,
	    H206("0-1/26"), "ab"),
	G("space before = ignored", NULL, NULL, NULL, NULL, "bytes =0-1", NULL,
	    200, H200, ABC),
	G("trailing junk ignored", NULL, NULL, NULL, NULL, "bytes=0-1;x", NULL,
	    200, H200, ABC),
	G("double dash ignored", NULL, NULL, NULL, NULL, "bytes=--1", NULL, 200,
	    H200, ABC),
	G("signed ignored", NULL, NULL, NULL, NULL, "bytes=+1-2", NULL, 200,
	    H200, ABC),
	G("trailing comma", NULL, NULL, NULL, NULL, "bytes=1-2,", NULL, 206,
	    H206("1-2/26"), "bc"),
	G("huge first", NULL, NULL, NULL, NULL, "bytes=18446744073709551616-",
	    NULL, 416, H416("26"), E416),
	G("huge last", NULL, NULL, NULL, NULL, "bytes=0-18446744073709551616",
	    NULL, 206, H206("0-25/26"), ABC),
	G("two ranges", NULL, NULL, NULL, NULL, "bytes=0-1,3-4", NULL, 206,
	    H206M, PART("0-1/26", "ab") PART("3-4/26", "de") MEND),
	G("two ranges ows", NULL, NULL, NULL, NULL, "bytes=0-1 , 3-4", NULL,
	    206, H206M, PART("0-1/26", "ab") PART("3-4/26", "de") MEND),
	G("order kept", NULL, NULL, NULL, NULL, "bytes=3-4,0-1", NULL, 206,
	    H206M, PART("3-4/26", "de") PART("0-1/26", "ab") MEND),
	G("empty element", NULL, NULL, NULL, NULL, "bytes=0-1,,3-4", NULL, 206,
	    H206M, PART("0-1/26", "ab") PART("3-4/26", "de") MEND),
	G("adjacent kept apart", NULL, NULL, NULL, NULL, "bytes=0-1,2-3", NULL,
	    206, H206M, PART("0-1/26", "ab") PART("2-3/26", "cd") MEND),
	G("suffix and first", NULL, NULL, NULL, NULL, "bytes=-3,0-1", NULL, 206,
	    H206M, PART("23-25/26", "xyz") PART("0-1/26", "ab") MEND),
	G("three ranges", NULL, NULL, NULL, NULL, "bytes=0-0,10-12,25-", NULL,
	    206, H206M,
	    PART("0-0/26", "a") PART("10-12/26", "klm") PART("25-25/26", "z")
	        MEND),
	G("overlap refused", NULL, NULL, NULL, NULL, "bytes=0-5,3-8", NULL, 200,
	    H200, ABC),
	G("touching overlap refused", NULL, NULL, NULL, NULL, "bytes=0-1,1-2",
	    NULL, 200, H200, ABC),
	G("suffix overlap refused", NULL, NULL, NULL, NULL, "bytes=20-,-3",
	    NULL, 200, H200, ABC),
	G("one of two satisfiable", NULL, NULL, NULL, NULL, "bytes=0-1,30-40",
	    NULL, 206, H206("0-1/26"), "ab"),
	G("none of two satisfiable", NULL, NULL, NULL, NULL, "bytes=30-40,50-",
	    NULL, 416, H416("26"), E416),
	G("invalid among valid ignored", NULL, NULL, NULL, NULL, "bytes=0-1,x",
	    NULL, 200, H200, ABC),
	G("if-range etag", NULL, NULL, NULL, NULL, "bytes=0-1", "\"v1\"", 206,
	    H206("0-1/26"), "ab"),
	G("if-range other etag", NULL, NULL, NULL, NULL, "bytes=0-1", "\"v2\"",
	    200, H200, ABC),
	G("if-range weak etag", NULL, NULL, NULL, NULL, "bytes=0-1", "W/\"v1\"",
	    200, H200, ABC),
	G("if-range date", NULL, NULL, NULL, NULL, "bytes=0-1", D0, 206,
	    H206("0-1/26"), "ab"),
	G("if-range older date", NULL, NULL, NULL, NULL, "bytes=0-1", DOLD, 200,
	    H200, ABC),
	G("if-range newer date", NULL, NULL, NULL, NULL, "bytes=0-1", DNEW, 200,
	    H200, ABC),
	G("if-range rfc850", NULL, NULL, NULL, NULL, "bytes=0-1", D850, 206,
	    H206("0-1/26"), "ab"),
	G("if-range asctime", NULL, NULL, NULL, NULL, "bytes=0-1", DASC, 206,
	    H206("0-1/26"), "ab"),
	G("if-range garbage", NULL, NULL, NULL, NULL, "bytes=0-1", "soon", 200,
	    H200, ABC),
	G("if-range without range", NULL, NULL, NULL, NULL, NULL, "\"v1\"", 200,
	    H200, ABC),
	G("if-range multipart mismatch", NULL, NULL, NULL, NULL,
	    "bytes=0-1,3-4", DOLD, 200, H200, ABC),
	G("if-range unsatisfiable", NULL, NULL, NULL, NULL, "bytes=50-",
	    "\"v1\"", 416, H416("26"), E416),
	{ "range post ignored", "POST", NULL, NULL, NULL, NULL, NULL,
	    "bytes=0-1", NULL, 200, H200, ABC },
	{ "range head", "HEAD", NULL, NULL, NULL, NULL, NULL, "bytes=0-1", NULL,
	    206, H206("0-1/26"), "ab" },
	{ "range head multipart", "HEAD", NULL, NULL, NULL, NULL, NULL,
	    "bytes=0-1,3-4", NULL, 206, H206M,
	    PART("0-1/26", "ab") PART("3-4/26", "de") MEND },
	{ "range head 416", "HEAD", NULL, NULL, NULL, NULL, NULL, "bytes=30-",
	    NULL, 416, H416("26"), E416 },
	G("im fails before range", "\"v2\"", NULL, NULL, NULL, "bytes=0-1",
	    NULL, 412, H412, E412),
	G("inm match before range", NULL, NULL, "\"v1\"", NULL, "bytes=0-1",
	    NULL, 304, H304, ""),
	G("ims older then range", NULL, NULL, NULL, DOLD, "bytes=0-1", NULL,
	    206, H206("0-1/26"), "ab"),
	G("ims equal beats range", NULL, NULL, NULL, D0, "bytes=0-1", NULL, 304,
	    H304, ""),
	/* empty and one-byte representations */
	{ "empty", "GET", "", NULL, NULL, NULL, NULL, NULL, NULL, 200, H200,
	    "" },
	{ "empty first", "GET", "", NULL, NULL, NULL, NULL, "bytes=0-0", NULL,
	    416, H416("0"), E416 },
	{ "empty suffix", "GET", "", NULL, NULL, NULL, NULL, "bytes=-5", NULL,
	    416, H416("0"), E416 },
	{ "empty open", "GET", "", NULL, NULL, NULL, NULL, "bytes=0-", NULL,
	    416, H416("0"), E416 },
	{ "one byte", "GET", "x", NULL, NULL, NULL, NULL, "bytes=0-0", NULL,
	    206, H206("0-0/1"), "x" },
	{ "one byte suffix", "GET", "x", NULL, NULL, NULL, NULL, "bytes=-1",
	    NULL, 206, H206("0-0/1"), "x" },
	{ "one byte suffix larger", "GET", "x", NULL, NULL, NULL, NULL,
	    "bytes=-2", NULL, 206, H206("0-0/1"), "x" },
	{ "one byte open", "GET", "x", NULL, NULL, NULL, NULL, "bytes=0-", NULL,
	    206, H206("0-0/1"), "x" },
	{ "one byte past", "GET", "x", NULL, NULL, NULL, NULL, "bytes=1-", NULL,
	    416, H416("1"), E416 },
	{ "one byte twice refused", "GET", "x", NULL, NULL, NULL, NULL,
	    "bytes=0-0,-1", NULL, 200, H200, "x" },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static char *env_var(const char *name, const char *v)
{
	return v ? tu_strdupf("%s=%s", name, v) : NULL;
}

/* Replace every occurrence of the response's multipart boundary with BND
 * (the same length), so that the table can state the exact bytes. */
static void mask_boundary(char *out, size_t len)
{
	const char *key = "boundary=";
	char *b = memmem(out, len, key, strlen(key));
	if (b == NULL)
		return;
	b += strlen(key);
	char bnd[21];
	if ((size_t)(b - out) + 20 > len)
		return;
	memcpy(bnd, b, 20);
	bnd[20] = '\0';
	for (char *p = out;
	     (p = memmem(p, len - (size_t)(p - out), bnd, 20)) != NULL; p += 20)
		memcpy(p, BND, 20);
}

static char *expected(const struct fcase *c, size_t *len)
{
	const char *body = c->body;
	bool head = strcmp(c->method, "HEAD") == 0;
	char num[24];
	snprintf(num, sizeof(num), "%zu", strlen(body));
	struct rsp_buffer b = { NULL, 0, 0 };
	for (const char *p = c->head; *p; p++) {
		if (p[0] == '%' && p[1] == 'L') {
			rsp_buffer_append(&b, num, -1);
			p++;
		} else {
			rsp_buffer_append(&b, p, 1);
		}
	}
	rsp_buffer_append(&b, "\r\n", 2);
	if (!head)
		rsp_buffer_append(&b, body, -1);
	*len = b.len;
	return b.data;
}

/* Run case i with the content as a string (src 0) or as a file (src 1). */
static void run_case(const struct fcase *c, int src)
{
	char *env[10];
	int n = 0;
	env[n++] = env_var("REQUEST_METHOD", c->method);
	env[n++] = env_var("SERVER_PROTOCOL", "HTTP/1.1");
	if (c->if_match)
		env[n++] = env_var("HTTP_IF_MATCH", c->if_match);
	if (c->ius)
		env[n++] = env_var("HTTP_IF_UNMODIFIED_SINCE", c->ius);
	if (c->inm)
		env[n++] = env_var("HTTP_IF_NONE_MATCH", c->inm);
	if (c->ims)
		env[n++] = env_var("HTTP_IF_MODIFIED_SINCE", c->ims);
	if (c->range)
		env[n++] = env_var("HTTP_RANGE", c->range);
	if (c->if_range)
		env[n++] = env_var("HTTP_IF_RANGE", c->if_range);
	env[n] = NULL;
	struct tu *t = tu_make(env);
	for (int i = 0; i < n; i++)
		free(env[i]);

	const char *content = c->content ? c->content : ABC;
	ck_ok(rsp_headers_set(t->res->headers, "Content-Type", "text/plain"));
	if (src == 0) {
		ck_ok(rsp_set_content(t->res, content, -1));
	} else {
		char tmpl[] = "/tmp/check_files.XXXXXX";
		int fd = mkstemp(tmpl);
		ck_assert_int_ge(fd, 0);
		unlink(tmpl);
		ck_assert_int_eq(write(fd, content, strlen(content)),
		    (ssize_t)strlen(content));
		ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
		ck_ok(rsp_set_content_file(t->res, fd));
	}
	int rc = rsp_check_preconditions(t->res, "\"v1\"", LM_T);
	if (rc == 0)
		rc = rsp_apply_range(t->res);
	ck_assert_msg(rc == (c->status == 200 ? 0 : c->status),
	    "%s (%s): returned %d, expected status %d", c->name,
	    src ? "file" : "string", rc, c->status);
	ck_ok(rsp_finish(t->res));

	size_t elen;
	char *exp = expected(c, &elen);
	mask_boundary(t->buf.data, t->buf.len);
	char *m = tu_diff(t->buf.data, t->buf.len, exp, elen);
	ck_assert_msg(m == NULL, "%s (%s): %s", c->name,
	    src ? "file" : "string", m ? m : "");
	free(exp);
	tu_free(t);
}

START_TEST(test_table)
{
	run_case(&cases[_i / 2], _i % 2);
}
END_TEST

START_TEST(test_table_size)
{
	ck_assert_uint_ge(NCASES, 80);
}
END_TEST

/* 100 one-byte ranges (the limit) are answered; 101 are ignored. */
static char *many_ranges(int count)
{
	struct rsp_buffer b = { NULL, 0, 0 };
	rsp_buffer_append(&b, "HTTP_RANGE=bytes=", -1);
	for (int i = 0; i < count; i++) {
		char s[16];
		snprintf(s, sizeof(s), "%s%d-%d", i ? "," : "", i * 2, i * 2);
		rsp_buffer_append(&b, s, -1);
	}
	rsp_buffer_append(&b, "", 1);
	return b.data;
}

START_TEST(test_range_limit)
{
	char content[300];
	for (int i = 0; i < 300; i++)
		content[i] = (char)('A' + i % 26);
	for (int count = RSP_MAX_RANGES; count <= RSP_MAX_RANGES + 1; count++) {
		char *r = many_ranges(count);
		char *env[] = { (char *)"REQUEST_METHOD=GET", r, NULL };
		struct tu *t = tu_make(env);
		free(r);
		ck_ok(rsp_set_content(t->res, content, sizeof(content)));
		int rc = rsp_apply_range(t->res);
		ck_ok(rsp_finish(t->res));
		if (count > RSP_MAX_RANGES) {
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(t->buf.len,
			    strlen(
			        "Status: 200 OK\r\n"
			        "Accept-Ranges: bytes\r\nContent-Length: 300\r\n\r\n") +
			        300);
			tu_free(t);
			continue;
		}
		ck_assert_int_eq(rc, 206);
		mask_boundary(t->buf.data, t->buf.len);
		struct rsp_buffer e = { NULL, 0, 0 };
		for (int i = 0; i < count; i++) {
			char part[128];
			snprintf(part, sizeof(part),
			    "\r\n--" BND "\r\nContent-Range: "
			    "bytes %d-%d/300\r\n\r\n%c",
			    2 * i, 2 * i, content[2 * i]);
			rsp_buffer_append(&e, part, -1);
		}
		rsp_buffer_append(&e, MEND, -1);
		char *head = tu_strdupf(
		    "Status: 206 Partial Content\r\nAccept-Ranges: bytes\r\n"
		    "Content-Type: multipart/byteranges; boundary=" BND "\r\n"
		    "Content-Length: %zu\r\n\r\n",
		    e.len);
		struct rsp_buffer all = { NULL, 0, 0 };
		rsp_buffer_append(&all, head, -1);
		rsp_buffer_append(&all, e.data, (ssize_t)e.len);
		ck_bytes(t->buf.data, t->buf.len, all.data, all.len);
		free(head);
		rsp_buffer_free(&e);
		rsp_buffer_free(&all);
		tu_free(t);
	}
}
END_TEST

/* A multipart answer from a file larger than one read chunk: exact bytes,
 * read with pread at the offsets, nothing else read. */
START_TEST(test_range_file_large)
{
	size_t size = 300000;
	char *path;
	int fd = tu_temp_file(size, &path);
	unsigned char *want = tu_pattern_bytes(size);
	char *env[] = { (char *)"REQUEST_METHOD=GET",
		(char *)"HTTP_RANGE=bytes=1000-140000,200000-", NULL };
	struct tu *t = tu_make(env);
	ck_ok(rsp_set_content_file(t->res, fd));
	ck_assert_int_eq(rsp_apply_range(t->res), 206);
	ck_ok(rsp_finish(t->res));
	mask_boundary(t->buf.data, t->buf.len);
	struct rsp_buffer e = { NULL, 0, 0 };
	rsp_buffer_append(&e,
	    "\r\n--" BND "\r\nContent-Range: bytes 1000-140000/300000\r\n\r\n",
	    -1);
	rsp_buffer_append(&e, want + 1000, 139001);
	rsp_buffer_append(&e,
	    "\r\n--" BND
	    "\r\nContent-Range: bytes 200000-299999/300000\r\n\r\n",
	    -1);
	rsp_buffer_append(&e, want + 200000, 100000);
	rsp_buffer_append(&e, MEND, -1);
	char *head =
	    tu_strdupf("Status: 206 Partial Content\r\nAccept-Ranges: bytes\r\n"
	               "Content-Type: multipart/byteranges; boundary=" BND
	               "\r\n"
	               "Content-Length: %zu\r\n\r\n",
	        e.len);
	size_t hl = strlen(head);
	ck_assert_uint_eq(t->buf.len, hl + e.len);
	ck_bytes(t->buf.data, hl, head, hl);
	ck_assert_msg(memcmp(t->buf.data + hl, e.data, e.len) == 0,
	    "multipart body differs");
	free(head);
	free(want);
	free(path);
	rsp_buffer_free(&e);
	tu_free(t);
}
END_TEST

/* ---- HTTP dates ------------------------------------------------------------ */

START_TEST(test_http_date)
{
	char out[30];
	time_t t;
	ck_ok(rsp_http_date(LM_T, out));
	ck_assert_str_eq(out, D0);
	ck_ok(rsp_http_date(0, out));
	ck_assert_str_eq(out, "Thu, 01 Jan 1970 00:00:00 GMT");
	ck_ok(rsp_http_date(951782400, out));
	ck_assert_str_eq(out, "Tue, 29 Feb 2000 00:00:00 GMT");
	ck_rc(rsp_http_date((time_t)253402300800LL, out),
	    RSP_EINVAL); /* year 10000 */
	ck_rc(rsp_http_date(0, NULL), RSP_EINVAL);
	const char *same[] = { D0, D850, DASC, "  " D0 "\t" };
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		t = 0;
		ck_ok(rsp_parse_http_date(same[i], -1, &t));
		ck_assert_msg(t == LM_T, "%s -> %lld", same[i], (long long)t);
	}
	ck_ok(rsp_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMTxx", 29, &t));
	ck_assert(t == LM_T);
	ck_ok(rsp_parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT", -1, &t));
	ck_assert(t == 951782400);
	/* Two-digit years: up to 50 years ahead, else the century before. */
	ck_ok(rsp_parse_http_date("Wednesday, 01-Jan-70 00:00:00 GMT", -1, &t));
	ck_assert(t == (time_t)3155760000LL);
	ck_ok(rsp_parse_http_date("Sat, 31 Dec 1960 23:59:60 GMT", -1, &t));
	const char *bad[] = {
		"",
		"Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 06 Nov 1994 08:49:37",
		"Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 94 08:49:37 GMT",
		"Sun, 06 nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 08:60:00 GMT",
		"Mon, 29 Feb 2001 00:00:00 GMT",
		"Sun, 00 Nov 1994 08:49:37 GMT",
		"Sun Nov 6 08:49:37 1994",
		"Sunday, 06-Nov-1994 08:49:37 GMT",
		"Sun, 06-Nov-94 08:49:37 GMT",
		"Sun,  06 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT x",
		"Funday, 06-Nov-94 08:49:37 GMT",
		"1994-11-06T08:49:37Z",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(rsp_parse_http_date(bad[i], -1, &t) == RSP_EINVAL,
		    "accepted %s", bad[i]);
	ck_rc(rsp_parse_http_date(NULL, 0, &t), RSP_EINVAL);
	ck_rc(rsp_parse_http_date(D0, -1, NULL), RSP_EINVAL);
}
END_TEST

/* ---- Content-Disposition and media types -------------------------------- */

static void ck_disposition(const char *type, const char *name, int rc,
    const char *want)
{
	struct tu *t = tu_make(NULL);
	ck_rc(rsp_content_disposition(t->res, type, name), rc);
	const char *got =
	    rsp_headers_get(t->res->headers, "Content-Disposition");
	if (want == NULL)
		ck_assert_ptr_null(got);
	else
		ck_assert_msg(got && strcmp(got, want) == 0,
		    "%s: got %s, want %s", name, got, want);
	tu_free(t);
}

START_TEST(test_disposition)
{
	ck_disposition("attachment", "report.pdf", RSP_OK,
	    "attachment; filename=\"report.pdf\"");
	ck_disposition("inline", NULL, RSP_OK, "inline");
	ck_disposition("attachment", "r\xc3\xa9sum\xc3\xa9 2024.pdf", RSP_OK,
	    "attachment; filename=\"r_sum_ 2024.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202024.pdf");
	ck_disposition("attachment", "\xe2\x82\xac rates.txt", RSP_OK,
	    "attachment; filename=\"_ rates.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt");
	ck_disposition("attachment", "a\"b\\c%d.txt", RSP_OK,
	    "attachment; filename=\"a_b_c_d.txt\"; filename*=UTF-8''a%22b%5Cc%25d.txt");
	ck_disposition("attachment", "\xf0\x9f\x98\x80.png", RSP_OK,
	    "attachment; filename=\"_.png\"; filename*=UTF-8''%F0%9F%98%80.png");
	ck_disposition("attachment", "bad\xff.txt", RSP_ECHARSET, NULL);
	ck_disposition("attachment", "line\nbreak", RSP_EINVAL, NULL);
	ck_disposition("attachment", "", RSP_EINVAL, NULL);
	ck_disposition("attach ment", "a.txt", RSP_EINVAL, NULL);
	ck_disposition(NULL, "a.txt", RSP_EINVAL, NULL);
	ck_rc(rsp_content_disposition(NULL, "attachment", "a"), RSP_EINVAL);
}
END_TEST

START_TEST(test_mime)
{
	char buf[128];
	ck_assert_str_eq(rsp_mime_type("a.html", buf, sizeof(buf)),
	    "text/html");
	ck_assert_str_eq(rsp_mime_type("dir/A.PNG", buf, sizeof(buf)),
	    "image/png");
	ck_assert_str_eq(rsp_mime_type("x.tar.gz", buf, sizeof(buf)),
	    "application/gzip");
	ck_assert_str_eq(rsp_mime_type("noext", buf, sizeof(buf)),
	    "application/octet-stream");
	ck_assert_str_eq(rsp_mime_type("dir.d/noext", buf, sizeof(buf)),
	    "application/octet-stream");
	ck_assert_str_eq(rsp_mime_type("trailing.", buf, sizeof(buf)),
	    "application/octet-stream");
	ck_assert_str_eq(rsp_mime_type(NULL, buf, sizeof(buf)),
	    "application/octet-stream");
	ck_assert_str_eq(rsp_mime_type("x.unknownext12", NULL, 0),
	    "application/octet-stream");
	/* The system table fills what the built-in one lacks. */
	FILE *f = fopen("/etc/mime.types", "r");
	if (f != NULL) {
		fclose(f);
		ck_assert_str_eq(rsp_mime_type("doc.odt", buf, sizeof(buf)),
		    "application/vnd.oasis.opendocument.text");
		ck_assert_ptr_eq(rsp_mime_type("doc.odt", buf, sizeof(buf)),
		    buf);
	}
}
END_TEST

/* ---- rsp_serve_file ------------------------------------------------------------ */

static char root[64], outside[64];
static int root_fd = -1;

static void put_file(const char *dir, const char *name, const char *data,
    mode_t mode)
{
	char *p = tu_strdupf("%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	close(fd);
	free(p);
}

static void tree_setup(void)
{
	snprintf(root, sizeof(root), "/tmp/check_files_root.XXXXXX");
	snprintf(outside, sizeof(outside), "/tmp/check_files_out.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	ck_assert_ptr_nonnull(mkdtemp(outside));
	ck_assert_int_eq(chmod(root, 0755), 0);
	put_file(outside, "secret.txt", "secret\n", 0644);
	put_file(root, "hello.txt", "hello, world\n", 0644);
	put_file(root, "locked.txt", "locked\n", 0000);
	char *p = tu_strdupf("%s/sub", root);
	mkdir(p, 0755);
	free(p);
	put_file(root, "sub/page.html", "<p>hi</p>\n", 0644);
	p = tu_strdupf("%s/sub/%s", root, "r\xc3\xa9sum\xc3\xa9.txt");
	int fd = open(p, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_eq(write(fd, "cv\n", 3), 3);
	close(fd);
	free(p);
	p = tu_strdupf("%s/fifo", root);
	ck_assert_int_eq(mkfifo(p, 0644), 0);
	free(p);
	char *target = tu_strdupf("%s/secret.txt", outside);
	p = tu_strdupf("%s/escape.txt", root);
	ck_assert_int_eq(symlink(target, p), 0);
	free(p);
	p = tu_strdupf("%s/updir", root);
	ck_assert_int_eq(symlink(outside, p), 0);
	free(p);
	p = tu_strdupf("%s/inside.txt", root);
	ck_assert_int_eq(symlink("hello.txt", p), 0);
	free(p);
	free(target);
	root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(root_fd, 0);
}

static void tree_teardown(void)
{
	char *cmd = tu_strdupf("rm -rf '%s' '%s'", root, outside);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	close(root_fd);
}

/* The response to GET path with the given extra variable (NULL: none). */
static struct tu *serve(const char *path, const char *var, unsigned flags,
    int *rc)
{
	char *env[] = { (char *)"REQUEST_METHOD=GET", (char *)var, NULL };
	struct tu *t = tu_make(env);
	nopens = 0;
	*rc = rsp_serve_file(t->res, root_fd, path, flags);
	ck_ok(rsp_finish(t->res));
	/* NUL-terminated for strstr, the length unchanged. */
	rsp_buffer_append(&t->buf, "", 1);
	t->buf.len--;
	return t;
}

static const char *body_of(struct tu *t)
{
	rsp_buffer_append(&t->buf, "", 1);
	t->buf.len--;
	const char *b = strstr(t->buf.data, "\r\n\r\n");
	return b ? b + 4 : "";
}

START_TEST(test_serve_refused)
{
	static const char *const refused[] = {
		"../check_files_out/secret.txt",
		"sub/../../secret.txt",
		"..",
		"sub/..",
		"/etc/passwd",
		"%2e%2e/secret.txt",
		"escape.txt",
		"updir/secret.txt",
		"sub",
		"sub/",
		".",
		"",
		"fifo",
		"missing.txt",
		"hello.txt/x",
		"inside.txt",
	};
	char *out_rel = tu_strdupf("../%s/secret.txt", outside + 5);
	for (size_t i = 0; i <= sizeof(refused) / sizeof(refused[0]); i++) {
		const char *path = i < sizeof(refused) / sizeof(refused[0])
		    ? refused[i]
		    : out_rel;
		int rc;
		struct tu *t = serve(path, NULL, 0, &rc);
		ck_assert_int_eq(rc, RSP_OK);
		ck_assert_msg(
		    strncmp(t->buf.data,
		        "Status: 404 Not Found\r\n"
		        "Content-Type: application/json\r\nContent-Length: 48\r\n\r\n"
		        "{\"error\": {\"code\": 404, \"message\": \"Not Found\"}}",
		        t->buf.len) == 0 &&
		        t->buf.len == 23 + 32 + 20 + 2 + 48,
		    "%s: %.*s", path, (int)t->buf.len, t->buf.data);
		ck_assert_msg(opened_for_io("secret.txt") == 0,
		    "%s: secret opened", path);
		ck_assert_msg(opened_for_io("fifo") == 0, "%s: fifo opened",
		    path);
		ck_assert_msg(opened_for_io("sub") == 0 &&
		        opened_for_io("hello.txt") == 0,
		    "%s: opened for reading", path);
		tu_free(t);
	}
	free(out_rel);
}
END_TEST

START_TEST(test_serve_forbidden)
{
	/* As root every file is readable: the check runs as nobody. */
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (geteuid() == 0 &&
		    (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(2);
		int rc;
		struct tu *t = serve("locked.txt",
		    _i ? "HTTP_IF_NONE_MATCH=*" : NULL, 0, &rc);
		static const char want[] =
		    "Status: 403 Forbidden\r\n"
		    "Content-Type: application/json\r\nContent-Length: 48\r\n\r\n"
		    "{\"error\": {\"code\": 403, \"message\": \"Forbidden\"}}";
		int ok = rc == RSP_OK && t->buf.len == sizeof(want) - 1 &&
		    memcmp(t->buf.data, want, t->buf.len) == 0;
		tu_free(t);
		_exit(ok ? 0 : 1);
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "403 not answered (%d)", st);
}
END_TEST

static char *etag_of(const char *path)
{
	struct stat sb;
	char *p = tu_strdupf("%s/%s", root, path);
	ck_assert_int_eq(stat(p, &sb), 0);
	free(p);
	return tu_strdupf("\"%llx-%llx-%llx.%lx\"",
	    (unsigned long long)sb.st_ino, (unsigned long long)sb.st_size,
	    (unsigned long long)sb.st_mtim.tv_sec,
	    (unsigned long)sb.st_mtim.tv_nsec);
}

static char *lm_of(const char *path)
{
	struct stat sb;
	char *p = tu_strdupf("%s/%s", root, path);
	ck_assert_int_eq(stat(p, &sb), 0);
	free(p);
	char d[30];
	ck_ok(rsp_http_date(sb.st_mtim.tv_sec, d));
	return tu_strdupf("%s", d);
}

START_TEST(test_serve_ok)
{
	int rc;
	char *et = etag_of("hello.txt"), *lm = lm_of("hello.txt");
	struct tu *t = serve("hello.txt", NULL, 0, &rc);
	ck_ok(rc);
	char *want = tu_strdupf(
	    "Status: 200 OK\r\nETag: %s\r\nLast-Modified: %s\r\n"
	    "Content-Type: text/plain\r\nAccept-Ranges: bytes\r\nContent-Length: 13\r\n\r\n"
	    "hello, world\n",
	    et, lm);
	ck_out_s(t, want);
	free(want);
	tu_free(t);

	char *inm = tu_strdupf("HTTP_IF_NONE_MATCH=%s", et);
	t = serve("./hello.txt", inm, 0, &rc);
	ck_ok(rc);
	want = tu_strdupf(
	    "Status: 304 Not Modified\r\nETag: %s\r\nLast-Modified: %s\r\n\r\n",
	    et, lm);
	ck_out_s(t, want);
	free(want);
	free(inm);
	tu_free(t);

	t = serve("hello.txt", "HTTP_RANGE=bytes=7-", 0, &rc);
	ck_ok(rc);
	want = tu_strdupf(
	    "Status: 206 Partial Content\r\nETag: %s\r\nLast-Modified: %s\r\n"
	    "Content-Type: text/plain\r\nAccept-Ranges: bytes\r\nContent-Range: bytes 7-12/13\r\n"
	    "Content-Length: 6\r\n\r\nworld\n",
	    et, lm);
	ck_out_s(t, want);
	free(want);
	tu_free(t);

	t = serve("hello.txt", "HTTP_RANGE=bytes=7-", RSP_FILE_NO_RANGES, &rc);
	ck_ok(rc);
	ck_assert_str_eq(body_of(t), "hello, world\n");
	tu_free(t);
	free(et);
	free(lm);

	t = serve("sub/page.html", NULL, RSP_FILE_ATTACHMENT, &rc);
	ck_ok(rc);
	ck_assert_ptr_nonnull(strstr(t->buf.data,
	    "\r\nContent-Type: text/html\r\n"));
	ck_assert_ptr_nonnull(strstr(t->buf.data,
	    "\r\nContent-Disposition: attachment; filename=\"page.html\"\r\n"));
	ck_assert_str_eq(body_of(t), "<p>hi</p>\n");
	tu_free(t);

	t = serve("sub/r\xc3\xa9sum\xc3\xa9.txt", NULL, RSP_FILE_ATTACHMENT,
	    &rc);
	ck_ok(rc);
	ck_assert_ptr_nonnull(strstr(t->buf.data,
	    "\r\nContent-Disposition: attachment; "
	    "filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n"));
	tu_free(t);

	/* A Content-Type the handler set wins over the table. */
	char *env[] = { (char *)"REQUEST_METHOD=GET", NULL };
	t = tu_make(env);
	ck_ok(rsp_headers_set(t->res->headers, "Content-Type",
	    "text/x-greeting"));
	ck_ok(rsp_serve_file(t->res, root_fd, "hello.txt", 0));
	ck_ok(rsp_finish(t->res));
	rsp_buffer_append(&t->buf, "", 1);
	ck_assert_ptr_nonnull(strstr(t->buf.data,
	    "Content-Type: text/x-greeting\r\n"));
	tu_free(t);

	t = tu_make(env);
	ck_rc(rsp_serve_file(t->res, -1, "hello.txt", 0), RSP_EINVAL);
	ck_rc(rsp_serve_file(t->res, root_fd, NULL, 0), RSP_EINVAL);
	ck_rc(rsp_serve_file(NULL, root_fd, "hello.txt", 0), RSP_EINVAL);
	ck_ok(rsp_writer_write_status(t->res->writer, 200, NULL));
	ck_rc(rsp_serve_file(t->res, root_fd, "hello.txt", 0), RSP_ESTATE);
	tu_free(t);
}
END_TEST

/* The file is replaced by a symbolic link after it was looked at: the
 * second look (O_NOFOLLOW) refuses, and what it points to is not opened.
 * Done by swapping in the link from inside the open hook. */
START_TEST(test_serve_swapped)
{
	/* Emulated: the checked file is replaced between the O_PATH look and
	 * the open for reading by renaming a symlink over it. */
	char *link = tu_strdupf("%s/swap.lnk", root);
	char *target = tu_strdupf("%s/secret.txt", outside);
	ck_assert_int_eq(symlink(target, link), 0);
	put_file(root, "swap.txt", "original\n", 0644);
	snprintf(swap_from, sizeof(swap_from), "%s", link);
	snprintf(swap_to, sizeof(swap_to), "%s/swap.txt", root);
	swap_armed = true;
	int rc;
	struct tu *t = serve("swap.txt", NULL, 0, &rc);
	ck_assert_msg(!swap_armed, "the file was never looked at");
	ck_ok(rc);
	ck_assert_msg(strncmp(t->buf.data, "Status: 404 Not Found\r\n", 23) ==
	        0,
	    "%.*s", (int)t->buf.len, t->buf.data);
	ck_assert_int_eq(opened_for_io("secret.txt"), 0);
	tu_free(t);
	free(link);
	free(target);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("files");
	TCase *tc = tcase_create("table");
	tcase_add_loop_test(tc, test_table, 0, (int)(2 * NCASES));
	tcase_add_test(tc, test_table_size);
	tcase_add_test(tc, test_range_limit);
	tcase_add_test(tc, test_range_file_large);
	suite_add_tcase(s, tc);
	tc = tcase_create("units");
	tcase_add_test(tc, test_http_date);
	tcase_add_test(tc, test_disposition);
	tcase_add_test(tc, test_mime);
	suite_add_tcase(s, tc);
	tc = tcase_create("serve");
	tcase_add_checked_fixture(tc, tree_setup, tree_teardown);
	tcase_add_test(tc, test_serve_refused);
	tcase_add_loop_test(tc, test_serve_forbidden, 0, 2);
	tcase_add_test(tc, test_serve_ok);
	tcase_add_test(tc, test_serve_swapped);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
