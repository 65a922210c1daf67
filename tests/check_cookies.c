/* check_cookies.c - rsp_set_cookie/rsp_delete_cookie/rsp_unset_cookie: exact
 * Set-Cookie values, attribute order, Expires format, deletion, refusals. */
#include "testutil.h"

#include <limits.h>
#include <locale.h>

#define EXP_1994 "Sun, 06 Nov 1994 08:49:37 GMT"
#define T_1994 ((time_t)784111777)

/* The value of the only Set-Cookie header queued. */
static const char *only_cookie(struct tu *t)
{
	const char *v[2] = { NULL, NULL };
	size_t n = rsp_headers_get_all(t->res->headers, "Set-Cookie", v, 2);
	ck_assert_msg(n == 1, "%zu Set-Cookie headers queued, expected 1", n);
	return v[0];
}

static void check_cookie(const char *name, const char *value,
    const struct rsp_cookie *attrs, const char *expected)
{
	struct tu *t = tu_new(RSP_CGI);
	int rc = rsp_set_cookie(t->res, name, value, attrs);
	ck_assert_msg(rc == RSP_OK,
	    "rsp_set_cookie(%s) returned %s, expected "
	    "%s",
	    name, rsp_strerror(rc), expected);
	const char *got = only_cookie(t);
	ck_bytes(got, strlen(got), expected, strlen(expected));
	tu_free(t);
}

/* Refused with RSP_EINVAL and nothing queued (a cookie and a header are
 * already there). */
static void refuse_cookie(const char *name, const char *value,
    const struct rsp_cookie *attrs)
{
	char desc[400] = "";
	if (attrs)
		snprintf(desc, sizeof desc,
		    "path=%.80s domain=%.80s comment=%.80s "
		    "samesite=%.20s secure=%d httponly=%d partitioned=%d "
		    "max_age=%d:%lld expires=%d:%lld",
		    attrs->path ? attrs->path : "(null)",
		    attrs->domain ? attrs->domain : "(null)",
		    attrs->comment ? attrs->comment : "(null)",
		    attrs->samesite ? attrs->samesite : "(null)", attrs->secure,
		    attrs->httponly, attrs->partitioned, attrs->has_max_age,
		    attrs->max_age, attrs->has_expires,
		    (long long)attrs->expires);
	char *nv = tu_strdupf("%s=%s", name ? name : "(null)",
	    value ? value : "(null)");
	tu_set_ctx("cookie", nv, desc);
	free(nv);
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_cookie(t->res, "keep", "1", NULL));
	ck_ok(rsp_headers_set(t->res->headers, "X-A", "1"));
	ck_refused(t, rsp_set_cookie(t->res, name, value, attrs), RSP_EINVAL);
	ck_assert_str_eq(only_cookie(t), "keep=1; Path=/");
	tu_free(t);
}

static bool is_tchar(int b)
{
	if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
	    (b >= '0' && b <= '9'))
		return true;
	return b != 0 && strchr("!#$%&'*+-.^_`|~", b) != NULL;
}

static bool is_cookie_octet(int b)
{
	return b == 0x21 || (b >= 0x23 && b <= 0x2b) ||
	    (b >= 0x2d && b <= 0x3a) || (b >= 0x3c && b <= 0x5b) ||
	    (b >= 0x5d && b <= 0x7e);
}

/* "name=; Expires=<date>; Max-Age=0; Path=<path>" with the date a day ago. */
static void check_deleted(const char *got, const char *prefix,
    const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), gl = strlen(got);
	ck_assert_msg(gl == pl + 29 + sl && memcmp(got, prefix, pl) == 0 &&
	        memcmp(got + pl + 29, suffix, sl) == 0,
	    "got \"%s\", expected \"%s<date>%s\"", got, prefix, suffix);
	time_t when;
	ck_assert_msg(tu_parse_imf(got + pl, 29, &when),
	    "not an IMF-fixdate in \"%s\"", got);
	long long diff = (long long)when - ((long long)time(NULL) - 86400);
	ck_assert_msg(llabs(diff) <= 5, "Expires is %lld s away from now-1d",
	    diff);
}

/* ---- values -------------------------------------------------------------- */

START_TEST(test_cookie_default)
{
	check_cookie("name", "value", NULL, "name=value; Path=/");
	check_cookie("id", "42", &(struct rsp_cookie){ 0 }, "id=42; Path=/");

	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_cookie(t->res, "name", "value", NULL));
	ck_ok(rsp_finish(t->res));
	ck_out(t, "Status: 200 OK\r\nSet-Cookie: name=value; Path=/\r\n\r\n");
	tu_free(t);
}
END_TEST

START_TEST(test_cookie_all_attributes)
{
	struct rsp_cookie c = {
		.domain = "example.org",
		.samesite = "Lax",
		.secure = true,
		.httponly = true,
		.has_max_age = true,
		.max_age = 3600,
		.has_expires = true,
		.expires = T_1994,
	};
	check_cookie("id", "42", &c,
	    "id=42; Domain=example.org; Expires=" EXP_1994
	    "; HttpOnly; Max-Age=3600; Path=/; SameSite=Lax; Secure");

	struct rsp_cookie all = {
		.path = "/p",
		.domain = "example.org",
		.comment = "c",
		.samesite = "None",
		.secure = true,
		.httponly = true,
		.partitioned = true,
		.has_max_age = true,
		.max_age = 0,
		.has_expires = true,
		.expires = T_1994,
	};
	check_cookie("id", "42", &all,
	    "id=42; Comment=c; Domain=example.org; "
	    "Expires=" EXP_1994 "; HttpOnly; Max-Age=0; Path=/p; "
	    "SameSite=None; Secure; Partitioned");

	/* the reference's verified example, Comment quoted */
	struct rsp_cookie ref = {
		.domain = "example.com",
		.comment = "hi there",
		.samesite = "Strict",
		.secure = true,
		.httponly = true,
		.has_max_age = true,
		.max_age = 3600,
	};
	check_cookie("a", "1", &ref,
	    "a=1; Comment=\"hi there\"; "
	    "Domain=example.com; HttpOnly; Max-Age=3600; Path=/; "
	    "SameSite=Strict; Secure");
}
END_TEST

START_TEST(test_cookie_each_attribute)
{
	check_cookie("a", "1", &(struct rsp_cookie){ .domain = "example.org" },
	    "a=1; Domain=example.org; Path=/");
	check_cookie("a", "1", &(struct rsp_cookie){ .domain = ".example.org" },
	    "a=1; Domain=.example.org; Path=/");
	check_cookie("a", "1",
	    &(struct rsp_cookie){ .domain = "a-b.c1.example" },
	    "a=1; Domain=a-b.c1.example; Path=/");
	check_cookie("a", "1", &(struct rsp_cookie){ .has_max_age = true },
	    "a=1; Max-Age=0; Path=/");
	check_cookie("a", "1",
	    &(struct rsp_cookie){ .has_max_age = true, .max_age = 31536000 },
	    "a=1; Max-Age=31536000; Path=/");
	check_cookie("a", "1", &(struct rsp_cookie){ .httponly = true },
	    "a=1; HttpOnly; Path=/");
	check_cookie("a", "1", &(struct rsp_cookie){ .secure = true },
	    "a=1; Path=/; Secure");
	check_cookie("a", "1", &(struct rsp_cookie){ .samesite = "Strict" },
	    "a=1; Path=/; SameSite=Strict");
	check_cookie("a", "1", &(struct rsp_cookie){ .samesite = "Lax" },
	    "a=1; Path=/; SameSite=Lax");
	check_cookie("a", "1",
	    &(struct rsp_cookie){ .samesite = "None", .secure = true },
	    "a=1; Path=/; SameSite=None; Secure");
	check_cookie("a", "1",
	    &(struct rsp_cookie){ .partitioned = true, .secure = true },
	    "a=1; Path=/; Secure; Partitioned");
	check_cookie("a", "1", &(struct rsp_cookie){ .path = "/x/y" },
	    "a=1; Path=/x/y");
	check_cookie("a", "1", &(struct rsp_cookie){ .path = "" }, "a=1");
	check_cookie("a", "1", &(struct rsp_cookie){ .path = "", .domain = "" },
	    "a=1");
	check_cookie("a", "1", &(struct rsp_cookie){ .comment = "" },
	    "a=1; Path=/");
	check_cookie("a", "1",
	    &(struct rsp_cookie){ .has_expires = true, .expires = T_1994 },
	    "a=1; Expires=" EXP_1994 "; Path=/");
	/* flags that are false emit nothing */
	check_cookie("a", "1",
	    &(struct rsp_cookie){
	        .secure = false, .httponly = false, .partitioned = false },
	    "a=1; Path=/");
}
END_TEST

START_TEST(test_cookie_comment_quoting)
{
	check_cookie("a", "1", &(struct rsp_cookie){ .comment = "hello" },
	    "a=1; Comment=hello; Path=/");
	check_cookie("a", "1", &(struct rsp_cookie){ .comment = "hi there" },
	    "a=1; Comment=\"hi there\"; Path=/");
	check_cookie("a", "1", &(struct rsp_cookie){ .comment = "a,b" },
	    "a=1; Comment=\"a,b\"; Path=/");
	check_cookie("a", "1",
	    &(struct rsp_cookie){ .comment = "say \"hi\"\\\xc3\xa9" },
	    "a=1; Comment=\"say \\\"hi\\\"\\\\\\303\\251\"; Path=/");
}
END_TEST

START_TEST(test_cookie_expires_range)
{
	check_cookie("a", "1",
	    &(struct rsp_cookie){ .has_expires = true, .expires = 0 },
	    "a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/");
	check_cookie("a", "1",
	    &(struct rsp_cookie){
	        .has_expires = true, .expires = (time_t)253402300799LL },
	    "a=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT; Path=/");
	check_cookie("a", "1",
	    &(struct rsp_cookie){
	        .has_expires = true, .expires = (time_t)-11644473600LL },
	    "a=1; Expires=Mon, 01 Jan 1601 00:00:00 GMT; Path=/");
	refuse_cookie("a", "1",
	    &(struct rsp_cookie){
	        .has_expires = true, .expires = (time_t)253402300800LL });
	refuse_cookie("a", "1",
	    &(struct rsp_cookie){
	        .has_expires = true, .expires = (time_t)-11644473601LL });
	if (sizeof(time_t) >= 8) {
		refuse_cookie("a", "1",
		    &(struct rsp_cookie){
		        .has_expires = true, .expires = (time_t)LLONG_MAX });
		refuse_cookie("a", "1",
		    &(struct rsp_cookie){
		        .has_expires = true, .expires = (time_t)LLONG_MIN });
	}
}
END_TEST

/*
 * Expires is English whatever LC_TIME says.  A non-English locale is
 * needed: an installed one, else one built once with localedef into a
 * temporary LOCPATH by an unchecked fixture, which runs before the tests
 * fork and has no timeout (localedef takes many seconds on a busy
 * machine).  No locale at all is a failure, never a skip: scripts/deps
 * installs the locales package that localedef reads.
 */
static const char *locale_used;
static char locale_dir[] = "/tmp/rsp-locale-XXXXXX";
static bool locale_made;
static char locale_why[200];

static const char *try_locales(void)
{
	static const char *const locales[] = { "fr_FR.UTF-8", "fr_FR.utf8",
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR", "de_DE" };
	for (size_t i = 0; i < sizeof locales / sizeof locales[0]; i++)
		if (setlocale(LC_ALL, locales[i]) != NULL)
			return locales[i];
	return NULL;
}

static void locale_setup(void)
{
	locale_used = try_locales();
	if (locale_used == NULL) {
		if (mkdtemp(locale_dir) == NULL) {
			snprintf(locale_why, sizeof locale_why, "mkdtemp: %s",
			    strerror(errno));
			return;
		}
		locale_made = true;
		char *cmd =
		    tu_strdupf("localedef -i fr_FR -f UTF-8 %s/fr_FR.UTF-8"
		               " >/dev/null 2>&1",
		        locale_dir);
		int rc = system(cmd);
		free(cmd);
		if (rc != 0) {
			snprintf(locale_why, sizeof locale_why,
			    "no fr_FR or de_DE "
			    "locale, and localedef -i fr_FR failed (status %d): "
			    "install the locales package (scripts/deps)",
			    rc);
			return;
		}
		setenv("LOCPATH", locale_dir, 1);
		locale_used = try_locales();
		if (locale_used == NULL)
			snprintf(locale_why, sizeof locale_why,
			    "localedef built "
			    "fr_FR.UTF-8 in %s but setlocale refuses it",
			    locale_dir);
	}
	/* the tests run in children: they set the locale again themselves */
	setlocale(LC_ALL, "C");
}

static void locale_teardown(void)
{
	if (!locale_made)
		return;
	char *cmd = tu_strdupf("rm -rf %s", locale_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", locale_dir);
	free(cmd);
}

START_TEST(test_cookie_expires_locale)
{
	ck_assert_msg(locale_used != NULL, "%s", locale_why);
	ck_assert_msg(setlocale(LC_ALL, locale_used) != NULL, "setlocale %s",
	    locale_used);
	/* the locale really names days in another language */
	char day[64];
	struct tm tm;
	time_t when = T_1994;
	gmtime_r(&when, &tm);
	strftime(day, sizeof day, "%a", &tm);
	ck_assert_msg(strcmp(day, "Sun") != 0, "locale %s is English",
	    locale_used);
	check_cookie("a", "1",
	    &(struct rsp_cookie){ .has_expires = true, .expires = T_1994 },
	    "a=1; Expires=" EXP_1994 "; Path=/");
	check_cookie("a", "1",
	    &(struct rsp_cookie){
	        .has_expires = true, .expires = (time_t)1234567890 },
	    "a=1; Expires=Fri, 13 Feb 2009 23:31:30 GMT; Path=/");
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_cookie(t->res, "d", NULL, NULL));
	check_deleted(only_cookie(t), "d=; Expires=", "; Max-Age=0; Path=/");
	tu_free(t);
	/* NPH's Date header too */
	t = tu_new(RSP_NPH);
	ck_ok(rsp_finish(t->res));
	ck_out(t, "HTTP/1.1 200 OK\r\n" NPH_REQ "Connection: close\r\n\r\n");
	tu_free(t);
	setlocale(LC_ALL, "C");
}
END_TEST

START_TEST(test_cookie_value_forms)
{
	check_cookie("id", "\"abc\"", NULL, "id=\"abc\"; Path=/");
	check_cookie("id", "", NULL, "id=; Path=/");
	check_cookie("id", "\"\"", NULL, "id=\"\"; Path=/");
	check_cookie("id", "!#$%&'()*+-./09:<=>?@AZ[]^_`az{|}~", NULL,
	    "id=!#$%&'()*+-./09:<=>?@AZ[]^_`az{|}~; Path=/");
	check_cookie("!#$%&'*+-.^_`|~09AZaz", "v", NULL,
	    "!#$%&'*+-.^_`|~09AZaz=v; Path=/");
	/* near-miss of a reserved name is fine */
	check_cookie("Paths", "1", NULL, "Paths=1; Path=/");
	check_cookie("__Host-id", "1", &(struct rsp_cookie){ .secure = true },
	    "__Host-id=1; Path=/; Secure");
	check_cookie("__Host-id", "1",
	    &(struct rsp_cookie){ .secure = true, .path = "/" },
	    "__Host-id=1; Path=/; Secure");
	check_cookie("__Secure-id", "1",
	    &(struct rsp_cookie){
	        .secure = true, .domain = "example.org", .path = "/app" },
	    "__Secure-id=1; Domain=example.org; Path=/app; Secure");
}
END_TEST

/* Cookie names: every byte of "a<b>b"; values: every byte of "a<b>b". */
START_TEST(test_cookie_every_byte)
{
	for (int b = 1; b < 256; b++) {
		char s[4] = { 'a', (char)b, 'b', 0 };
		if (is_tchar(b)) {
			char *exp = tu_strdupf("%s=1; Path=/", s);
			check_cookie(s, "1", NULL, exp);
			free(exp);
		} else {
			refuse_cookie(s, "1", NULL);
		}
		if (is_cookie_octet(b)) {
			char *exp = tu_strdupf("n=%s; Path=/", s);
			check_cookie("n", s, NULL, exp);
			free(exp);
		} else {
			refuse_cookie("n", s, NULL);
		}
	}
}
END_TEST

START_TEST(test_cookie_refused_names)
{
	static const char *const names[] = {
		"a=b",
		"a;b",
		"a b",
		"a,b",
		"",
		"a\x7f",
		"\xc3\xa9",
		"a\"b",
		"a:b",
		"(a)",
		"a\r\nb",
		"a\tb",
		"a/b",
		"a\nSet-Cookie: x",
		"Path",
		"path",
		"PATH",
		"expires",
		"Expires",
		"EXPIRES",
		"Max-Age",
		"max-age",
		"Domain",
		"domain",
		"Secure",
		"secure",
		"HttpOnly",
		"httponly",
		"Comment",
		"comment",
		"Version",
		"version",
		"SameSite",
		"samesite",
		"Partitioned",
		"partitioned",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		refuse_cookie(names[i], "1", NULL);
}
END_TEST

START_TEST(test_cookie_refused_values)
{
	static const char *const values[] = {
		" ",
		"a b",
		"a,b",
		"a;b",
		"a\\b",
		"a\"b",
		"\"abc",
		"abc\"",
		"\"a\"b\"",
		"a\001b",
		"a\tb",
		"a\177b",
		"a\r\nb",
		"\xc3\xa9",
		"\"a b\"",
		"\"a;b\"",
		"1; Path=/admin",
		"\"",
		"v\r\nX-Injected: 1",
	};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
		refuse_cookie("n", values[i], NULL);
}
END_TEST

START_TEST(test_cookie_refused_attributes)
{
	refuse_cookie("a", "1",
	    &(struct rsp_cookie){ .has_max_age = true, .max_age = -1 });
	refuse_cookie("a", "1",
	    &(struct rsp_cookie){ .has_max_age = true, .max_age = -5 });
	refuse_cookie("a", "1",
	    &(struct rsp_cookie){ .has_max_age = true, .max_age = LLONG_MIN });
	static const char *const samesite[] = { "strict", "Foo", "none", "lax",
		"Lax; Secure", "Nonee", "LAX", "Lax\r\n" };
	for (size_t i = 0; i < sizeof samesite / sizeof samesite[0]; i++)
		refuse_cookie("a", "1",
		    &(struct rsp_cookie){
		        .samesite = samesite[i], .secure = true });
	/* SameSite=None without Secure */
	refuse_cookie("a", "1", &(struct rsp_cookie){ .samesite = "None" });
	/* prefixes */
	refuse_cookie("__Secure-id", "1", NULL);
	refuse_cookie("__secure-id", "1", NULL);
	refuse_cookie("__SECURE-id", "1",
	    &(struct rsp_cookie){ .httponly = true });
	refuse_cookie("__Host-id", "1", NULL);
	refuse_cookie("__host-id", "1", NULL);
	refuse_cookie("__Host-id", "1",
	    &(struct rsp_cookie){ .secure = true, .domain = "example.com" });
	refuse_cookie("__Host-id", "1",
	    &(struct rsp_cookie){ .secure = true, .path = "/app" });
	refuse_cookie("__Host-id", "1",
	    &(struct rsp_cookie){ .secure = true, .path = "" });
	refuse_cookie("__HOST-id", "1",
	    &(struct rsp_cookie){ .secure = true, .domain = "example.com" });
	/* Partitioned without Secure */
	refuse_cookie("a", "1", &(struct rsp_cookie){ .partitioned = true });
	/* Path */
	static const char *const paths[] = { "/a;b", "/a\r\n", "/a\r\nX: 1",
		"/a\x01", "/caf\xc3\xa9", "/a\x7f", "/a\tb", ";" };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		refuse_cookie("a", "1",
		    &(struct rsp_cookie){ .path = paths[i] });
	/* Domain */
	char long_domain[301], long_label[80];
	memset(long_domain, 'a', 300);
	for (int i = 50; i < 300; i += 50)
		long_domain[i] = '.';
	long_domain[300] = 0;
	memset(long_label, 'a', 64);
	strcpy(long_label + 64, ".com");
	const char *domains[] = { "ex ample.com", "a..com", "ex;ample.org",
		long_domain, long_label, "exa\xc3\xa9mple.org", "a_b.com",
		"example.org\r\n", "example.org;", ".", "..a.com", "a.com/x" };
	for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++)
		refuse_cookie("a", "1",
		    &(struct rsp_cookie){ .domain = domains[i] });
	/* Comment */
	static const char *const comments[] = { "a;b", "a\001b", "a\r\nb",
		"a\x7f", "\n" };
	for (size_t i = 0; i < sizeof comments / sizeof comments[0]; i++)
		refuse_cookie("a", "1",
		    &(struct rsp_cookie){ .comment = comments[i] });
}
END_TEST

/* RFC 1034 labels: a hyphen neither starts nor ends a label. */
START_TEST(test_cookie_refused_domain_hyphen)
{
	static const char *const domains[] = { "-a.com", "a-.com", "a.-b.com",
		"example.org-" };
	for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++)
		refuse_cookie("a", "1",
		    &(struct rsp_cookie){ .domain = domains[i] });
}
END_TEST

START_TEST(test_cookie_size_limits)
{
	/* name + value: 4096 bytes accepted, 4097 refused */
	char *value = malloc(5000);
	memset(value, 'v', 4095);
	value[4095] = 0;
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_cookie(t->res, "n", value, NULL));
	tu_free(t);
	value[4095] = 'v';
	value[4096] = 0;
	refuse_cookie("n", value, NULL);
	free(value);

	/* attribute values: 1024 bytes accepted, 1025 refused */
	char *attr = malloc(1100);
	attr[0] = '/';
	memset(attr + 1, 'p', 1023);
	attr[1024] = 0;
	t = tu_new(RSP_CGI);
	ck_ok(rsp_set_cookie(t->res, "n", "1",
	    &(struct rsp_cookie){ .path = attr }));
	tu_free(t);
	attr[1024] = 'p';
	attr[1025] = 0;
	refuse_cookie("n", "1", &(struct rsp_cookie){ .path = attr });
	memset(attr, 'c', 1025);
	attr[1025] = 0;
	refuse_cookie("n", "1", &(struct rsp_cookie){ .comment = attr });
	free(attr);
}
END_TEST

/* ---- deletion -------------------------------------------------------- */

START_TEST(test_cookie_delete)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_ok(rsp_set_cookie(t->res, "name", NULL, NULL));
	check_deleted(only_cookie(t), "name=; Expires=", "; Max-Age=0; Path=/");
	tu_free(t);

	/* a NULL value overrides the caller's Max-Age and Expires */
	t = tu_new(RSP_CGI);
	ck_ok(rsp_set_cookie(t->res, "name", NULL,
	    &(struct rsp_cookie){ .has_max_age = true,
	        .max_age = 100,
	        .has_expires = true,
	        .expires = T_1994,
	        .domain = "example.org" }));
	check_deleted(only_cookie(t),
	    "name=; Domain=example.org; Expires=", "; Max-Age=0; Path=/");
	tu_free(t);

	t = tu_new(RSP_CGI);
	ck_ok(rsp_delete_cookie(t->res, "name", NULL, NULL));
	check_deleted(only_cookie(t), "name=; Expires=", "; Max-Age=0; Path=/");
	tu_free(t);

	t = tu_new(RSP_CGI);
	ck_ok(rsp_delete_cookie(t->res, "n", "/x", "example.org"));
	check_deleted(only_cookie(t),
	    "n=; Domain=example.org; Expires=", "; Max-Age=0; Path=/x");
	tu_free(t);

	t = tu_new(RSP_CGI);
	ck_ok(rsp_delete_cookie(t->res, "n", "/", NULL));
	check_deleted(only_cookie(t), "n=; Expires=", "; Max-Age=0; Path=/");
	/* refusals through delete too */
	ck_refused(t, rsp_delete_cookie(t->res, "a b", NULL, NULL), RSP_EINVAL);
	ck_refused(t, rsp_delete_cookie(t->res, "Path", NULL, NULL),
	    RSP_EINVAL);
	ck_refused(t, rsp_delete_cookie(t->res, "n", "/a;b", NULL), RSP_EINVAL);
	ck_refused(t, rsp_delete_cookie(t->res, "n", NULL, "ex ample.com"),
	    RSP_EINVAL);
	tu_free(t);

	/* prefixed names: the deletion carries what the prefix demands */
	t = tu_new(RSP_CGI);
	ck_ok(rsp_delete_cookie(t->res, "__Secure-id", NULL, "example.org"));
	check_deleted(only_cookie(t),
	    "__Secure-id=; Domain=example.org; Expires=",
	    "; Max-Age=0; Path=/; Secure");
	tu_free(t);
	t = tu_new(RSP_CGI);
	ck_ok(rsp_delete_cookie(t->res, "__Host-id", NULL, NULL));
	check_deleted(only_cookie(t),
	    "__Host-id=; Expires=", "; Max-Age=0; Path=/; Secure");
	ck_refused_why(t, rsp_delete_cookie(t->res, "__Host-id", "/x", NULL),
	    RSP_EINVAL, "a __Host- cookie needs Secure, Path=/ and no Domain");
	ck_refused_why(t,
	    rsp_delete_cookie(t->res, "__Host-id", NULL, "example.org"),
	    RSP_EINVAL, "a __Host- cookie needs Secure, Path=/ and no Domain");
	tu_free(t);
}
END_TEST

/* Each refusal says which rule was broken. */
START_TEST(test_cookie_reasons)
{
	struct tu *t = tu_new(RSP_CGI);
	ck_refused_why(t,
	    rsp_set_cookie(t->res, "a", "1",
	        &(struct rsp_cookie){ .samesite = "strict" }),
	    RSP_EINVAL, "SameSite must be Strict, Lax or None");
	ck_refused_why(t,
	    rsp_set_cookie(t->res, "a", "1",
	        &(struct rsp_cookie){ .samesite = "None" }),
	    RSP_EINVAL, "SameSite=None needs Secure");
	ck_refused_why(t,
	    rsp_set_cookie(t->res, "a", "1",
	        &(struct rsp_cookie){ .partitioned = true }),
	    RSP_EINVAL, "Partitioned needs Secure");
	ck_refused_why(t, rsp_set_cookie(t->res, "__Secure-a", "1", NULL),
	    RSP_EINVAL, "a __Secure- cookie needs Secure");
	ck_refused_why(t, rsp_set_cookie(t->res, "a", "x y", NULL), RSP_EINVAL,
	    "cookie value holds a byte outside RFC 6265 cookie-octet");
	ck_refused_why(t, rsp_set_cookie(t->res, "expires", "1", NULL),
	    RSP_EINVAL, "cookie name is not a token, or is an attribute name");
	tu_free(t);
}
END_TEST

/* Each call appends one Set-Cookie, never joined, in any flavour. */
START_TEST(test_cookie_output_flavours)
{
	enum rsp_flavour f = (enum rsp_flavour)_i;
	struct tu *t = tu_new(f);
	ck_ok(rsp_set_cookie(t->res, "a", "1", NULL));
	ck_ok(rsp_set_cookie(t->res, "a", "2",
	    &(struct rsp_cookie){ .path = "/x" }));
	ck_ok(rsp_set_content(t->res, "ok", 2));
	ck_ok(rsp_finish(t->res));
	if (f == RSP_CGI)
		ck_out(t,
		    "Status: 200 OK\r\nSet-Cookie: a=1; Path=/\r\n"
		    "Set-Cookie: a=2; Path=/x\r\nContent-Length: 2\r\n\r\nok");
	else if (f == RSP_NPH)
		ck_out(t,
		    "HTTP/1.1 200 OK\r\nSet-Cookie: a=1; Path=/\r\n"
		    "Set-Cookie: a=2; Path=/x\r\n" NPH_REQ
		    "Content-Length: 2\r\n\r\nok");
	else
		ck_out(t,
		    "Status: 200 OK\r\nset-cookie: a=1; Path=/\r\n"
		    "set-cookie: a=2; Path=/x\r\ncontent-length: 2\r\n\r\nok");
	tu_free(t);
}
END_TEST

/* ---- unset (DESIGN.md 12) ------------------------------------------ */

START_TEST(test_unset_cookie)
{
	struct tu *t = tu_new(RSP_CGI);
	rsp_headers *h = t->res->headers;
	ck_ok(rsp_set_cookie(t->res, "a", "1", NULL));
	ck_ok(rsp_headers_set(h, "X-A", "x"));
	ck_ok(rsp_set_cookie(t->res, "b", "2",
	    &(struct rsp_cookie){ .has_expires = true, .expires = T_1994 }));
	ck_ok(rsp_headers_set(h, "X-B", "y"));
	ck_ok(rsp_set_cookie(t->res, "ab", "3", NULL));
	ck_ok(rsp_set_cookie(t->res, "a", "4",
	    &(struct rsp_cookie){ .path = "/x" }));
	ck_ok(rsp_delete_cookie(t->res, "c", NULL, NULL));
	ck_ok(rsp_headers_append(h, "Set-Cookie", "A=5"));

	char *before = tu_headers_dump(h);
	/* nothing found: RSP_OK and nothing moves */
	ck_ok(rsp_unset_cookie(t->res, "zz"));
	ck_ok(rsp_unset_cookie(t->res, "B"));
	char *after = tu_headers_dump(h);
	ck_assert_str_eq(after, before);
	free(before);
	free(after);

	/* removes both "a" lines, keeps "ab" and "A", moves the group last */
	ck_ok(rsp_unset_cookie(t->res, "a"));
	const char *v[8];
	size_t n = rsp_headers_get_all(h, "Set-Cookie", v, 8);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(v[0], "b=2; Expires=" EXP_1994 "; Path=/");
	ck_assert_str_eq(v[1], "ab=3; Path=/");
	ck_assert_msg(strncmp(v[2], "c=; Expires=", 12) == 0, "%s", v[2]);
	ck_assert_str_eq(v[3], "A=5");
	size_t pos = 0;
	const char *name, *value;
	ck_assert(rsp_headers_next(h, &pos, &name, &value));
	ck_assert_str_eq(name, "X-A");
	ck_assert(rsp_headers_next(h, &pos, &name, &value));
	ck_assert_str_eq(name, "X-B");
	ck_assert(rsp_headers_next(h, &pos, &name, &value));
	ck_assert_str_eq(value, v[0]);

	/* a deleted cookie can be unset */
	ck_ok(rsp_unset_cookie(t->res, "c"));
	ck_assert_uint_eq(rsp_headers_get_all(h, "Set-Cookie", v, 8), 3);
	ck_ok(rsp_unset_cookie(t->res, "b"));
	ck_ok(rsp_unset_cookie(t->res, "ab"));
	ck_ok(rsp_unset_cookie(t->res, "A"));
	ck_assert(!rsp_headers_contains(h, "Set-Cookie"));
	ck_assert_uint_eq(rsp_headers_count(h), 2);

	/* a name that is not a token */
	ck_ok(rsp_set_cookie(t->res, "k", "1", NULL));
	ck_refused(t, rsp_unset_cookie(t->res, "a b"), RSP_EINVAL);
	ck_refused(t, rsp_unset_cookie(t->res, ""), RSP_EINVAL);
	ck_refused(t, rsp_unset_cookie(t->res, "k=1"), RSP_EINVAL);
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 200 OK\r\nX-A: x\r\nX-B: y\r\n"
	    "Set-Cookie: k=1; Path=/\r\n\r\n");
	tu_free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cookies");
	TCase *tc = tcase_create("cookies");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_cookie_default);
	tcase_add_test(tc, test_cookie_all_attributes);
	tcase_add_test(tc, test_cookie_each_attribute);
	tcase_add_test(tc, test_cookie_comment_quoting);
	tcase_add_test(tc, test_cookie_expires_range);
	tcase_add_test(tc, test_cookie_value_forms);
	tcase_add_test(tc, test_cookie_every_byte);
	tcase_add_test(tc, test_cookie_refused_names);
	tcase_add_test(tc, test_cookie_refused_values);
	tcase_add_test(tc, test_cookie_refused_attributes);
	tcase_add_test(tc, test_cookie_refused_domain_hyphen);
	tcase_add_test(tc, test_cookie_size_limits);
	tcase_add_test(tc, test_cookie_delete);
	tcase_add_test(tc, test_cookie_reasons);
	tcase_add_loop_test(tc, test_cookie_output_flavours, RSP_CGI,
	    RSP_H2 + 1);
	tcase_add_test(tc, test_unset_cookie);
	suite_add_tcase(s, tc);

	tc = tcase_create("locale");
	tcase_add_unchecked_fixture(tc, locale_setup, locale_teardown);
	tcase_add_test(tc, test_cookie_expires_locale);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
