/* testutil.c - the helpers of respond's Check unit tests (testutil.h says
 * what each does), compiled once into tests/libtestutil.la. */
#include "testutil.h"

/* What a helper is checking, and the reason the last ck_refused's call
 * left: see testutil.h. */
char tu_ctx[600];
char tu_why[300];

static const char *const tu_wkday[7] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	"Fri", "Sat" };
static const char *const tu_month[12] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

char *tu_strdupf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = malloc((size_t)n + 1);
	if (!s)
		abort();
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *tu_escape(const void *data, size_t len)
{
	const unsigned char *p = data;
	char *s = malloc(len * 4 + 3);
	size_t o = 0;
	if (!s)
		abort();
	s[o++] = '"';
	/* the bytes written as a backslash and a letter, and those letters */
	static const char plain[] = "\r\n\t\\\"", letter[] = "rnt\\\"";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		const char *k = c != 0 ? strchr(plain, c) : NULL;
		if (k != NULL) {
			s[o++] = '\\';
			s[o++] = letter[k - plain];
		} else if (c >= 0x20 && c < 0x7f)
			s[o++] = (char)c;
		else
			o += (size_t)sprintf(s + o, "\\x%02x", c);
	}
	s[o++] = '"';
	s[o] = 0;
	return s;
}

char *tu_diff(const void *act, size_t alen, const void *exp, size_t elen)
{
	const unsigned char *a = act, *e = exp;
	if (alen == elen && (alen == 0 || memcmp(a, e, alen) == 0))
		return NULL;
	size_t i = 0;
	while (i < alen && i < elen && a[i] == e[i])
		i++;
	/* long sides: a window from 200 bytes before the difference (which
	 * is at most the shorter length, so from never passes either end) */
	size_t from = 0, wa = alen, we = elen;
	if (alen > 1500 || elen > 1500) {
		from = i > 200 ? i - 200 : 0;
		wa = alen - from < 400 ? alen - from : 400;
		we = elen - from < 400 ? elen - from : 400;
	}
	char *ea = tu_escape(a + from, wa);
	char *ee = tu_escape(e + from, we);
	char *m = tu_strdupf("bytes differ at offset %zu (expected %zu bytes, "
	                     "got %zu)%s\n  expected: %s\n  actual:   %s",
	    i, elen, alen, from ? " [window shown]" : "", ee, ea);
	free(ea);
	free(ee);
	return m;
}

bool tu_parse_imf(const char *s, size_t len, time_t *out)
{
	if (len != 29)
		return false;
	char buf[30];
	memcpy(buf, s, 29);
	buf[29] = 0;
	/* Www, DD Mon YYYY HH:MM:SS GMT */
	static const char shape[] = "Aaa, 00 Aaa 0000 00:00:00 GMT";
	for (int i = 0; i < 29; i++) {
		char c = buf[i], k = shape[i];
		if (k == 'A' && !(c >= 'A' && c <= 'Z'))
			return false;
		if (k == 'a' && !(c >= 'a' && c <= 'z'))
			return false;
		if (k == '0' && !(c >= '0' && c <= '9'))
			return false;
		if (k != 'A' && k != 'a' && k != '0' && c != k)
			return false;
	}
	int wd = -1, mon = -1;
	for (int i = 0; i < 7; i++)
		if (memcmp(buf, tu_wkday[i], 3) == 0)
			wd = i;
	for (int i = 0; i < 12; i++)
		if (memcmp(buf + 8, tu_month[i], 3) == 0)
			mon = i;
	if (wd < 0 || mon < 0)
		return false;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_mday = atoi(buf + 5);
	tm.tm_mon = mon;
	tm.tm_year = atoi(buf + 12) - 1900;
	tm.tm_hour = atoi(buf + 17);
	tm.tm_min = atoi(buf + 20);
	tm.tm_sec = atoi(buf + 23);
	if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return false;
	time_t t = timegm(&tm);
	struct tm back;
	gmtime_r(&t, &back);
	if (back.tm_wday != wd || back.tm_mday != tm.tm_mday ||
	    back.tm_mon != mon)
		return false;
	*out = t;
	return true;
}

/* A copy of the output with the Date values masked (see tu_out_diff). */
static char *tu_mask_dates(const char *data, size_t len, size_t *outlen)
{
	char *out = malloc(len + 1);
	size_t o = 0, i = 0;
	bool in_block = true;
	if (!out)
		abort();
	while (i < len) {
		const char *eol = memmem(data + i, len - i, "\r\n", 2);
		size_t linelen = eol ? (size_t)(eol - (data + i)) : len - i;
		if (in_block && linelen == 0)
			in_block = false;
		time_t t;
		if (in_block && linelen == 6 + 29 &&
		    (memcmp(data + i, "Date: ", 6) == 0 ||
		        memcmp(data + i, "date: ", 6) == 0) &&
		    tu_parse_imf(data + i + 6, 29, &t) &&
		    llabs((long long)(t - time(NULL))) <= 5) {
			memcpy(out + o, data + i, 6);
			o += 6;
			memcpy(out + o, "<DATE>", 6);
			o += 6;
		} else {
			memcpy(out + o, data + i, linelen);
			o += linelen;
		}
		i += linelen;
		if (eol) {
			memcpy(out + o, "\r\n", 2);
			o += 2;
			i += 2;
		}
		if (!in_block) {
			memcpy(out + o, data + i, len - i);
			o += len - i;
			break;
		}
	}
	*outlen = o;
	out[o] = 0;
	return out;
}

struct tu *tu_make(char *const *env)
{
	struct tu *t = calloc(1, sizeof *t);
	ck_assert_ptr_nonnull(t);
	if (env) {
		t->req = rsp_request_from_memory(env, NULL, 0);
		ck_assert_msg(t->req != NULL, "rsp_request_from_memory failed");
	}
	t->res = rsp_response_new(t->req, rsp_sink_buffer(&t->buf));
	ck_assert_msg(t->res != NULL, "rsp_response_new failed");
	return t;
}

struct tu *tu_new(enum rsp_flavour f)
{
	struct tu *t = tu_make(NULL);
	if (f != RSP_CGI)
		ck_assert_int_eq(rsp_set_flavour(t->res, f), RSP_OK);
	ck_assert_int_eq(rsp_flavour(t->res), f);
	return t;
}

struct tu *tu_method(const char *method, enum rsp_flavour f)
{
	char *m = tu_strdupf("REQUEST_METHOD=%s", method);
	char *env[] = { m, (char *)"SERVER_PROTOCOL=HTTP/1.1", NULL };
	struct tu *t = tu_make(env);
	free(m);
	if (f != RSP_CGI)
		ck_assert_int_eq(rsp_set_flavour(t->res, f), RSP_OK);
	return t;
}

void tu_free(struct tu *t)
{
	if (!t)
		return;
	rsp_response_free(t->res);
	if (t->req)
		rsp_request_free(t->req);
	rsp_buffer_free(&t->buf);
	free(t);
}

const char *tu_flavour_name(enum rsp_flavour f)
{
	return f == RSP_CGI ? "CGI" : f == RSP_NPH ? "NPH" : "H2";
}

char *tu_out_diff(struct tu *t, const void *exp, size_t elen)
{
	size_t ml;
	char *masked =
	    tu_mask_dates(t->buf.data ? t->buf.data : "", t->buf.len, &ml);
	char *m = tu_diff(masked, ml, exp, elen);
	free(masked);
	return m;
}

char *tu_headers_dump(const rsp_headers *h)
{
	size_t pos = 0, cap = 256, len = 0;
	const char *n, *v;
	char *s = malloc(cap);
	if (!s)
		abort();
	s[0] = 0;
	while (rsp_headers_next(h, &pos, &n, &v)) {
		size_t need = strlen(n) + strlen(v) + 4;
		while (len + need >= cap) {
			cap *= 2;
			s = realloc(s, cap);
			if (!s)
				abort();
		}
		len += (size_t)sprintf(s + len, "%s: %s\n", n, v);
	}
	return s;
}

void tu_snap_take(struct tu *t, struct tu_snap *s)
{
	const char *msg = NULL;
	(void)rsp_writer_flush(t->res->writer);
	s->outlen = t->buf.len;
	s->out = malloc(s->outlen + 1);
	if (!s->out)
		abort();
	if (s->outlen)
		memcpy(s->out, t->buf.data, s->outlen);
	s->headers = tu_headers_dump(t->res->headers);
	s->count = rsp_headers_count(t->res->headers);
	s->status = rsp_status(t->res, &msg);
	s->msg = msg ? strdup(msg) : NULL;
	s->flavour = (int)rsp_flavour(t->res);
	const char *enc = rsp_encoding(t->res);
	s->encoding = enc ? strdup(enc) : NULL;
	s->close = t->res->close_connection;
}

void tu_snap_free(struct tu_snap *s)
{
	free(s->out);
	free(s->headers);
	free(s->msg);
	free(s->encoding);
}

char *tu_snap_diff(const struct tu_snap *a, const struct tu_snap *b)
{
	char *d = tu_diff(b->out, b->outlen, a->out, a->outlen);
	if (d) {
		char *m = tu_strdupf("output changed: %s", d);
		free(d);
		return m;
	}
	if (strcmp(a->headers, b->headers) != 0 || a->count != b->count) {
		char *x = tu_escape(a->headers, strlen(a->headers));
		char *y = tu_escape(b->headers, strlen(b->headers));
		char *m = tu_strdupf("header list changed: before %s, after %s",
		    x, y);
		free(x);
		free(y);
		return m;
	}
	if (a->status != b->status || (a->msg == NULL) != (b->msg == NULL) ||
	    (a->msg && strcmp(a->msg, b->msg) != 0))
		return tu_strdupf("status changed: %d %s -> %d %s", a->status,
		    a->msg ? a->msg : "(null)", b->status,
		    b->msg ? b->msg : "(null)");
	if (a->flavour != b->flavour)
		return tu_strdupf("flavour changed: %d -> %d", a->flavour,
		    b->flavour);
	if ((a->encoding == NULL) != (b->encoding == NULL) ||
	    (a->encoding && strcmp(a->encoding, b->encoding) != 0))
		return tu_strdupf("encoding changed");
	if (a->close != b->close)
		return tu_strdupf("close_connection changed");
	return NULL;
}

void tu_count_refused(void)
{
	const char *path = getenv("RSP_TEST_REFUSED_LOG");
	if (!path || !*path)
		return;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (fd >= 0) {
		ssize_t n = write(fd, "x", 1);
		(void)n;
		close(fd);
	}
}

void tu_set_ctx(const char *what, const char *a, const char *b)
{
	char *ea = tu_escape(a ? a : "(null)", a ? strlen(a) : 6);
	char *eb = tu_escape(b ? b : "(null)", b ? strlen(b) : 6);
	snprintf(tu_ctx, sizeof tu_ctx, "[%s %.250s %.250s] ", what, ea, eb);
	free(ea);
	free(eb);
}

/* Byte i of the temporary files' pattern. */
static unsigned char tu_pattern(size_t i)
{
	return (unsigned char)((i * 7 + i / 251) & 0xff);
}

int tu_temp_file(size_t len, char **path)
{
	char tmpl[] = "/tmp/rsp-test-XXXXXX";
	int fd = mkstemp(tmpl);
	ck_assert_msg(fd >= 0, "mkstemp: %s", strerror(errno));
	unsigned char *data = tu_pattern_bytes(len);
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		ck_assert_msg(n > 0, "write: %s", strerror(errno));
		off += (size_t)n;
	}
	free(data);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	if (path)
		*path = strdup(tmpl);
	else
		unlink(tmpl);
	return fd;
}

unsigned char *tu_pattern_bytes(size_t len)
{
	unsigned char *data = malloc(len ? len : 1);
	if (!data)
		abort();
	for (size_t i = 0; i < len; i++)
		data[i] = tu_pattern(i);
	return data;
}

bool tu_fd_is_closed(int fd)
{
	return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

void tu_stderr_begin(struct tu_stderr *c)
{
	char tmpl[] = "/tmp/rsp-stderr-XXXXXX";
	fflush(stderr);
	c->fd = mkstemp(tmpl);
	ck_assert_int_ge(c->fd, 0);
	unlink(tmpl);
	c->saved = dup(2);
	dup2(c->fd, 2);
}

char *tu_stderr_end(struct tu_stderr *c)
{
	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	off_t size = lseek(c->fd, 0, SEEK_END);
	char *s = malloc((size_t)size + 1);
	if (!s)
		abort();
	ssize_t n = pread(c->fd, s, (size_t)size, 0);
	s[n > 0 ? n : 0] = 0;
	close(c->fd);
	return s;
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
