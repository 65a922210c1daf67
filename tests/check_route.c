/* check_route.c - the routing table: which route a request reaches and with
 * which parameters, 404/405/Allow/OPTIONS/HEAD, encoded and trailing
 * slashes, long paths, many routes, and patterns refused at compile time. */
#include "testutil.h"

/* What the last handler call saw. */
static struct {
	int route;
	char params[512];
} seen;

static int handler(rsp_request *req, rsp_response *res, void *arg)
{
	static const char *const names[] = { "id", "uid", "pid", "x", "y",
		"name", "*" };
	seen.route = (int)(intptr_t)arg;
	seen.params[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = rsp_route_param(req, names[i]);
		if (v == NULL)
			continue;
		size_t n = strlen(seen.params);
		snprintf(seen.params + n, sizeof(seen.params) - n, "%s%s=%s",
		    n ? " " : "", names[i], v);
	}
	ck_assert_ptr_null(rsp_route_param(req, "nope"));
	ck_assert_ptr_nonnull(rsp_route_pattern(req));
	return rsp_set_content(res, "ok", 2);
}

#define R(m, p, i)                                   \
	{                                            \
		m, p, handler, (void *)(intptr_t)(i) \
	}
static const struct rsp_route table[] = {
	R("GET", "/", 0),
	R("GET", "/items", 1),
	R("POST", "/items", 2),
	R("GET", "/items/{id}", 3),
	R("PUT", "/items/{id}", 4),
	R("DELETE", "/items/{id}", 5),
	R("GET", "/items/new", 6),
	R("GET", "/static/*", 7),
	R(NULL, "/any/{x}", 8),
	R("GET", "/users/{uid}/posts/{pid}", 9),
	R("HEAD", "/items/{id}/meta", 10),
	R("GET", "/items/{id}/meta", 11),
	R("GET", "/slash/", 12),
	R("GET", "/a/{x}/c", 13),
	R("GET", "/a/b/{y}", 14),
	R("GET", "/files/{name}", 15),
};

static const struct rcase {
	const char *method, *uri, *script, *path_info;
	int route; /* -1: none */
	int status;
	const char *params; /* when route >= 0 */
	const char *allow;  /* NULL: no Allow header */
} cases[] = {
	{ "GET", "/", 0, 0, 0, 200, "", 0 },
	{ "GET", "/items", 0, 0, 1, 200, "", 0 },
	{ "POST", "/items", 0, 0, 2, 200, "", 0 },
	{ "GET", "/items/42", 0, 0, 3, 200, "id=42", 0 },
	{ "PUT", "/items/42", 0, 0, 4, 200, "id=42", 0 },
	{ "DELETE", "/items/42", 0, 0, 5, 200, "id=42", 0 },
	{ "GET", "/items/new", 0, 0, 6, 200, "", 0 },
	{ "POST", "/items/new", 0, 0, -1, 405, 0,
	    "GET, HEAD, DELETE, PUT, OPTIONS" },
	{ "HEAD", "/items/42", 0, 0, 3, 200, "id=42", 0 },
	{ "HEAD", "/items/42/meta", 0, 0, 10, 200, "id=42", 0 },
	{ "GET", "/items/42/meta", 0, 0, 11, 200, "id=42", 0 },
	{ "OPTIONS", "/items/42", 0, 0, -1, 204, 0,
	    "DELETE, GET, HEAD, PUT, OPTIONS" },
	{ "PATCH", "/items/42", 0, 0, -1, 405, 0,
	    "DELETE, GET, HEAD, PUT, OPTIONS" },
	{ "GET", "/nope", 0, 0, -1, 404, 0, 0 },
	{ "GET", "/items/", 0, 0, -1, 404, 0, 0 },
	{ "GET", "/slash/", 0, 0, 12, 200, "", 0 },
	{ "GET", "/slash", 0, 0, -1, 404, 0, 0 },
	{ "GET", "/static/", 0, 0, 7, 200, "*=", 0 },
	{ "GET", "/static/a/b.css", 0, 0, 7, 200, "*=a/b.css", 0 },
	{ "GET", "/static", 0, 0, -1, 404, 0, 0 },
	{ "GET", "/static/a%2Fb", 0, 0, 7, 200, "*=a%2Fb", 0 },
	{ "GET", "/items/a%2Fb", 0, 0, 3, 200, "id=a/b", 0 },
	{ "GET", "/items/a/b", 0, 0, -1, 404, 0, 0 },
	{ "GET", "/items/%34%32", 0, 0, 3, 200, "id=42", 0 },
	{ "GET", "/items/%zz", 0, 0, 3, 200, "id=%zz", 0 },
	{ "GET", "/items/%4", 0, 0, 3, 200, "id=%4", 0 },
	{ "GET", "/items/%00", 0, 0, -1, 400, 0, 0 },
	{ "GET", "/items/../x", 0, 0, -1, 400, 0, 0 },
	{ "GET", "/items/.", 0, 0, -1, 400, 0, 0 },
	{ "GET", "/items/%2e%2E", 0, 0, -1, 400, 0, 0 },
	{ "GET", "/items/42?x=1&y=/2", 0, 0, 3, 200, "id=42", 0 },
	{ "GET", "/items/42#frag", 0, 0, 3, 200, "id=42", 0 },
	{ "POST", "/any/7", 0, 0, 8, 200, "x=7", 0 },
	{ "BREW", "/any/7", 0, 0, 8, 200, "x=7", 0 },
	{ "OPTIONS", "/any/1", 0, 0, 8, 200, "x=1", 0 },
	{ "GET", "/any/", 0, 0, -1, 404, 0, 0 },
	{ "GET", "/users/1/posts/2", 0, 0, 9, 200, "uid=1 pid=2", 0 },
	{ "GET", "/users/1/posts", 0, 0, -1, 404, 0, 0 },
	{ "GET", "/a/b/c", 0, 0, 14, 200, "y=c", 0 },
	{ "GET", "/a/z/c", 0, 0, 13, 200, "x=z", 0 },
	{ "GET", "/a/b/c/d", 0, 0, -1, 404, 0, 0 },
	{ "GET", "/files/r%C3%A9sum%C3%A9.pdf", 0, 0, 15, 200,
	    "name=r\xc3\xa9sum\xc3\xa9.pdf", 0 },
	{ "GET", "/items/%E2%82%AC", 0, 0, 3, 200, "id=\xe2\x82\xac", 0 },
	{ "GET", "//items", 0, 0, -1, 404, 0, 0 },
	{ "GET", "/api/items", "/api", "/items", 1, 200, "", 0 },
	{ "GET", "/api/items/a%2Fb", "/api", "/items/a/b", 3, 200, "id=a/b",
	    0 },
	{ "GET", "/items", "/items", 0, 1, 200, "", 0 },
	{ "GET", "/api/items/5", "/api/", "/items/5", 3, 200, "id=5", 0 },
	{ "GET", "/api/items", "/apix", "/items", -1, 404, 0, 0 },
	{ "GET", "/apiitems", "/api", "items", -1, 404, 0, 0 },
	{ "GET", "/api", "/api", 0, -1, 404, 0, 0 },
	{ "GET", "/api/", "/api", "/", 0, 200, "", 0 },
	{ "GET", "/api/?q", "/api", "/", 0, 200, "", 0 },
	{ "GET", 0, 0, "/items/9", 3, 200, "id=9", 0 },
	{ "GET", 0, 0, "/items/a/b", -1, 404, 0, 0 },
	{ "GET", 0, 0, 0, 0, 200, "", 0 },
	{ "GET", 0, "/x.cgi", "/items", 1, 200, "", 0 },
	{ "OPTIONS", "/nope", 0, 0, -1, 404, 0, 0 },
	{ "OPTIONS", "*", 0, 0, -1, 204, 0, "GET, HEAD, OPTIONS" },
	{ "DELETE", "/items", 0, 0, -1, 405, 0, "GET, HEAD, POST, OPTIONS" },
	{ "HEAD", "/items", 0, 0, 1, 200, "", 0 },
	{ "HEAD", "/static/x", 0, 0, 7, 200, "*=x", 0 },
	{ "GET", "/items/42/", 0, 0, -1, 404, 0, 0 },
	{ "PUT", "/items/new", 0, 0, 4, 200, "id=new", 0 },
	{ "DELETE", "/static/x", 0, 0, -1, 405, 0, "GET, HEAD, OPTIONS" },
	{ "get", "/items", 0, 0, -1, 405, 0, "GET, HEAD, POST, OPTIONS" },
	{ "GET", "/ITEMS", 0, 0, -1, 404, 0, 0 },
	{ "POST", "/", 0, 0, -1, 405, 0, "GET, HEAD, OPTIONS" },
	{ "GET", "/items/%2F", 0, 0, 3, 200, "id=/", 0 },
	{ "GET", "/static/%2e%2e/x", 0, 0, -1, 400, 0, 0 },
};

static rsp_router *router;

static void setup(void)
{
	char err[256];
	router = rsp_router_new(table, sizeof(table) / sizeof(table[0]), err,
	    sizeof(err));
	ck_assert_msg(router != NULL, "%s", err);
}

static void teardown(void)
{
	rsp_router_free(router);
}

static struct tu *request(const char *method, const char *uri,
    const char *script, const char *path_info)
{
	char *env[5] = { 0 };
	int n = 0;
	env[n++] = tu_strdupf("REQUEST_METHOD=%s", method);
	if (uri)
		env[n++] = tu_strdupf("REQUEST_URI=%s", uri);
	if (script)
		env[n++] = tu_strdupf("SCRIPT_NAME=%s", script);
	if (path_info)
		env[n++] = tu_strdupf("PATH_INFO=%s", path_info);
	struct tu *t = tu_make(env);
	for (int i = 0; i < n; i++)
		free(env[i]);
	return t;
}

/* Dispatch case c through rt and check what it reached and answered. */
static void check_case(rsp_router *rt, const struct rcase *c)
{
	struct tu *t = request(c->method, c->uri, c->script, c->path_info);
	seen.route = -1;
	seen.params[0] = '\0';
	ck_ok(rsp_router_dispatch(t->req, t->res, rt));
	ck_assert_msg(seen.route == c->route, "%s %s: route %d, expected %d",
	    c->method, c->uri ? c->uri : c->path_info, seen.route, c->route);
	ck_assert_int_eq(rsp_status(t->res, NULL), c->status);
	if (c->route >= 0)
		ck_assert_str_eq(seen.params, c->params);
	const char *allow = rsp_headers_get(t->res->headers, "Allow");
	if (c->allow == NULL)
		ck_assert_ptr_null(allow);
	else
		ck_assert_msg(allow && strcmp(allow, c->allow) == 0,
		    "%s %s: Allow %s", c->method, c->uri,
		    allow ? allow : "(none)");
	if (c->route < 0 && c->status >= 400)
		ck_assert_str_eq(rsp_headers_get(t->res->headers,
		                     "Content-Type"),
		    "application/json");
	/* the parameters live only while the handler runs */
	ck_assert_ptr_null(rsp_route_param(t->req, "id"));
	tu_free(t);
}

START_TEST(route_table)
{
	check_case(router, &cases[_i]);
}
END_TEST

/*
 * What the index must not change: routes sharing a first literal, a
 * literal beside {name} and * at the first segment, all-literal patterns
 * reached raw (one lookup) or percent-encoded (the walk), their method
 * missing (the walk goes on to {name} and *), methods of 8 bytes and more.
 */
static const struct rsp_route itable[] = {
	R("GET", "/a", 0),
	R("GET", "/a/b", 1),
	R("POST", "/a/b", 2),
	R("GET", "/a/{x}", 3),
	R("GET", "/a/b/*", 4),
	R("GET", "/ab", 5),
	R("GET", "/{x}/b", 6),
	R("GET", "/{x}", 7),
	R("PUT", "/*", 8),
	R("PROPPATCH", "/a/b", 9),
	R("PROPFIND", "/a/b", 10),
	R(NULL, "/ab/{y}", 11),
	R("GET", "/b", 12),
	R("GET", "/b/b", 13),
	R("DELETE", "/a/{x}", 14),
};

static const struct rcase icases[] = {
	{ "GET", "/a", 0, 0, 0, 200, "", 0 },
	{ "GET", "/a/b", 0, 0, 1, 200, "", 0 },
	{ "HEAD", "/a/b", 0, 0, 1, 200, "", 0 },
	{ "POST", "/a/b", 0, 0, 2, 200, "", 0 },
	{ "PROPPATCH", "/a/b", 0, 0, 9, 200, "", 0 },
	{ "PROPFIND", "/a/b", 0, 0, 10, 200, "", 0 },
	{ "PROPPATCHX", "/a/b", 0, 0, -1, 405, 0,
	    "GET, HEAD, POST, PROPFIND, PROPPATCH, DELETE, PUT, OPTIONS" },
	{ "PROPFINDX", "/a/b", 0, 0, -1, 405, 0,
	    "GET, HEAD, POST, PROPFIND, PROPPATCH, DELETE, PUT, OPTIONS" },
	{ "PROPFIN", "/a/b", 0, 0, -1, 405, 0,
	    "GET, HEAD, POST, PROPFIND, PROPPATCH, DELETE, PUT, OPTIONS" },
	{ "GETX", "/a", 0, 0, -1, 405, 0, "GET, HEAD, PUT, OPTIONS" },
	{ "GE", "/a", 0, 0, -1, 405, 0, "GET, HEAD, PUT, OPTIONS" },
	{ "DELETE", "/a/b", 0, 0, 14, 200, "x=b", 0 },
	{ "PUT", "/a/b", 0, 0, 8, 200, "*=a/b", 0 },
	{ "GET", "/a/c", 0, 0, 3, 200, "x=c", 0 },
	{ "GET", "/a/%62", 0, 0, 1, 200, "", 0 },
	{ "GET", "/%61/b", 0, 0, 1, 200, "", 0 },
	{ "GET", "/%61", 0, 0, 0, 200, "", 0 },
	{ "GET", "/a/b/c/d", 0, 0, 4, 200, "*=c/d", 0 },
	{ "GET", "/a/b/", 0, 0, 4, 200, "*=", 0 },
	{ "GET", "/ab", 0, 0, 5, 200, "", 0 },
	{ "GET", "/ab/1", 0, 0, 11, 200, "y=1", 0 },
	{ "DELETE", "/ab/1", 0, 0, 11, 200, "y=1", 0 },
	{ "GET", "/c/b", 0, 0, 6, 200, "x=c", 0 },
	{ "GET", "/c", 0, 0, 7, 200, "x=c", 0 },
	{ "GET", "/c/d", 0, 0, -1, 405, 0, "PUT, OPTIONS" },
	{ "PUT", "/c/d", 0, 0, 8, 200, "*=c/d", 0 },
	{ "GET", "/b", 0, 0, 12, 200, "", 0 },
	{ "GET", "/b/b", 0, 0, 13, 200, "", 0 },
	{ "GET", "/b/c", 0, 0, -1, 405, 0, "PUT, OPTIONS" },
	{ "GET", "/a/", 0, 0, -1, 405, 0, "PUT, OPTIONS" },
	{ "OPTIONS", "/a/b", 0, 0, -1, 204, 0,
	    "GET, HEAD, POST, PROPFIND, PROPPATCH, DELETE, PUT, OPTIONS" },
	{ "GET", "/a/b?q=/a", 0, 0, 1, 200, "", 0 },
	{ "GET", "/a/b", "/a", "/b", 12, 200, "", 0 },
	{ "GET", "/a/b", "/a/b", 0, 1, 200, "", 0 },
	{ "GET", 0, 0, "/b/b", 13, 200, "", 0 },
	{ "GET", "/a/./b", 0, 0, -1, 400, 0, 0 },
};

START_TEST(index_table)
{
	char err[256];
	rsp_router *rt = rsp_router_new(itable,
	    sizeof(itable) / sizeof(itable[0]), err, sizeof(err));
	ck_assert_msg(rt != NULL, "%s", err);
	check_case(rt, &icases[_i]);
	rsp_router_free(rt);
}
END_TEST

/* An all-literal pattern longer than a path may be: its path is still 414. */
START_TEST(long_literal)
{
	char *pat = malloc(9001);
	pat[0] = '/';
	memset(pat + 1, 'a', 8999);
	pat[9000] = '\0';
	struct rsp_route r[1] = { R("GET", pat, 0) };
	rsp_router *rt = rsp_router_new(r, 1, NULL, 0);
	ck_assert_ptr_nonnull(rt);
	struct tu *t = request("GET", pat, NULL, NULL);
	seen.route = -1;
	ck_ok(rsp_router_dispatch(t->req, t->res, rt));
	ck_assert_int_eq(seen.route, -1);
	ck_assert_int_eq(rsp_status(t->res, NULL), 414);
	tu_free(t);
	rsp_router_free(rt);
	free(pat);
}
END_TEST

START_TEST(long_paths)
{
	char *uri = malloc(9000);
	uri[0] = '/';
	memset(uri + 1, 'a', 8998);
	uri[8999] = '\0';
	struct tu *t = request("GET", uri, NULL, NULL);
	ck_ok(rsp_router_dispatch(t->req, t->res, router));
	ck_assert_int_eq(rsp_status(t->res, NULL), 414);
	tu_free(t);
	/* 8000 bytes in one segment: allowed, reaches {name} */
	memcpy(uri, "/files/", 7);
	uri[8000] = '\0';
	t = request("GET", uri, NULL, NULL);
	seen.route = -1;
	ck_ok(rsp_router_dispatch(t->req, t->res, router));
	ck_assert_int_eq(seen.route, 15);
	ck_assert_uint_eq(strlen(seen.params), 511);
	tu_free(t);
	/* 70 segments */
	for (int i = 0; i < 70; i++)
		memcpy(uri + 2 * i, "/a", 2);
	uri[140] = '\0';
	t = request("GET", uri, NULL, NULL);
	ck_ok(rsp_router_dispatch(t->req, t->res, router));
	ck_assert_int_eq(rsp_status(t->res, NULL), 414);
	tu_free(t);
	free(uri);
}
END_TEST

/* The exact bytes of a 405. */
START_TEST(method_not_allowed_bytes)
{
	struct tu *t = request("DELETE", "/", NULL, NULL);
	ck_ok(rsp_router_dispatch(t->req, t->res, router));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 405 Method Not Allowed\r\nContent-Type: application/json\r\n"
	    "Content-Length: 57\r\nAllow: GET, HEAD, OPTIONS\r\n\r\n"
	    "{\"error\": {\"code\": 405, \"message\": \"method not allowed\"}}");
	tu_free(t);
}
END_TEST

START_TEST(options_bytes)
{
	struct tu *t = request("OPTIONS", "/items", NULL, NULL);
	ck_ok(rsp_router_dispatch(t->req, t->res, router));
	ck_ok(rsp_finish(t->res));
	ck_out(t,
	    "Status: 204 No Content\r\nAllow: GET, HEAD, POST, OPTIONS\r\n\r\n");
	tu_free(t);
}
END_TEST

/* 300 routes: every one reachable, the most specific first. */
START_TEST(many_routes)
{
	enum { N = 300 };
	struct rsp_route *rs = calloc(N, sizeof(*rs));
	char **pats = calloc(N, sizeof(*pats));
	for (int i = 0; i < N; i++) {
		pats[i] = i % 2 ? tu_strdupf("/r%d/{id}", i)
		                : tu_strdupf("/r%d/x/*", i);
		rs[i] = (struct rsp_route){ i % 3 ? "GET" : "POST", pats[i],
			handler, (void *)(intptr_t)i };
	}
	char err[128];
	rsp_router *rt = rsp_router_new(rs, N, err, sizeof(err));
	ck_assert_msg(rt != NULL, "%s", err);
	for (int i = 0; i < N; i++) {
		char *uri = i % 2 ? tu_strdupf("/r%d/v%d", i, i)
		                  : tu_strdupf("/r%d/x/v/%d", i, i);
		struct tu *t = request(i % 3 ? "GET" : "POST", uri, NULL, NULL);
		seen.route = -1;
		ck_ok(rsp_router_dispatch(t->req, t->res, rt));
		ck_assert_int_eq(seen.route, i);
		tu_free(t);
		free(uri);
	}
	rsp_router_free(rt);
	for (int i = 0; i < N; i++)
		free(pats[i]);
	free(pats);
	free(rs);
}
END_TEST

static const struct bad {
	struct rsp_route r[2];
	size_t n;
	const char *err;
} bads[] = {
	{ { R("GET", "items", 0) }, 1,
	    "route 0 (GET items): a pattern starts with '/'" },
	{ { R("GET", "", 0) }, 1, "route 0 (GET ): a pattern starts with '/'" },
	{ { R("GET", "/items/{id", 0) }, 1,
	    "route 0 (GET /items/{id): a '{name}' segment is malformed" },
	{ { R("GET", "/items/{}", 0) }, 1,
	    "route 0 (GET /items/{}): a '{name}' segment is malformed" },
	{ { R("GET", "/items/{1d}", 0) }, 1,
	    "route 0 (GET /items/{1d}): a parameter name is [A-Za-z_][A-Za-z0-9_]*" },
	{ { R("GET", "/a/{x}/{x}", 0) }, 1,
	    "route 0 (GET /a/{x}/{x}): a parameter name is used twice" },
	{ { R("GET", "/a/*/b", 0) }, 1,
	    "route 0 (GET /a/*/b): '*' is allowed only as the last segment" },
	{ { R("GET", "/a/b*", 0) }, 1,
	    "route 0 (GET /a/b*): '{', '}' and '*' must make a whole segment" },
	{ { R("GET", "/a/{x}y", 0) }, 1,
	    "route 0 (GET /a/{x}y): a '{name}' segment is malformed" },
	{ { R("GET", "/a/%20", 0) }, 1,
	    "route 0 (GET /a/%20): a literal holds a byte outside RFC 3986 pchar (or '%')" },
	{ { R("GET", "/a b", 0) }, 1,
	    "route 0 (GET /a b): a literal holds a byte outside RFC 3986 pchar (or '%')" },
	{ { R("GET", "/a/./b", 0) }, 1,
	    "route 0 (GET /a/./b): '.' and '..' segments never match" },
	{ { R("GET", "/a/..", 0) }, 1,
	    "route 0 (GET /a/..): '.' and '..' segments never match" },
	{ { R("GE T", "/a", 0) }, 1,
	    "route 0 (GE T /a): the method is not an HTTP token" },
	{ { { "GET", "/a", NULL, NULL } }, 1, "route 0 (GET /a): no handler" },
	{ { { "GET", NULL, handler, NULL } }, 1,
	    "route 0 (GET (null)): no pattern" },
	{ { R("GET", "/a", 0), R("GET", "/a", 1) }, 2,
	    "route 1 (GET /a): ambiguous with route 0" },
	{ { R("GET", "/a/{x}", 0), R("GET", "/a/{y}", 1) }, 2,
	    "route 1 (GET /a/{y}): ambiguous with route 0" },
	{ { R(NULL, "/a", 0), R("*", "/a", 1) }, 2,
	    "route 1 (* /a): ambiguous with route 0" },
	{ { R("GET", "/s/*", 0), R("GET", "/s/*", 1) }, 2,
	    "route 1 (GET /s/*): ambiguous with route 0" },
	{ { R("GET", "/", 0) }, 0, "the routing table is empty" },
};

START_TEST(refused_tables)
{
	char err[256];
	ck_assert_ptr_null(rsp_router_new(bads[_i].r, bads[_i].n, err,
	    sizeof(err)));
	ck_assert_str_eq(err, bads[_i].err);
	/* no buffer for the message: still refused */
	ck_assert_ptr_null(rsp_router_new(bads[_i].r, bads[_i].n, NULL, 0));
}
END_TEST

static const struct rsp_route fine[][2] = {
	{ R("GET", "/a", 0), R(NULL, "/a", 1) },
	{ R("GET", "/a/{x}", 0), R("POST", "/a/{y}", 1) },
	{ R("GET", "/a/{x}", 0), R("GET", "/a/*", 1) },
	{ R("GET", "/a", 0), R("GET", "/a/", 1) },
	{ R("GET", "/{x}/b", 0), R("GET", "/a/{y}", 1) },
	{ R("GET", "/a:b@c!$&'()+,;=~-._", 0), R("HEAD", "/a", 1) },
};

START_TEST(accepted_tables)
{
	char err[256];
	rsp_router *rt = rsp_router_new(fine[_i], 2, err, sizeof(err));
	ck_assert_msg(rt != NULL, "%s", err);
	ck_assert_str_eq(err, "");
	rsp_router_free(rt);
}
END_TEST

START_TEST(null_arguments)
{
	ck_rc(rsp_router_dispatch(NULL, NULL, router), RSP_EINVAL);
	struct tu *t = request("GET", "/", NULL, NULL);
	ck_rc(rsp_router_dispatch(t->req, t->res, NULL), RSP_EINVAL);
	ck_assert_ptr_null(rsp_route_param(t->req, "id"));
	ck_assert_ptr_null(rsp_route_param(NULL, "id"));
	ck_assert_ptr_null(rsp_route_pattern(NULL));
	rsp_router_free(NULL);
	tu_free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("route");
	TCase *tc = tcase_create("dispatch");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, route_table, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, long_paths);
	tcase_add_test(tc, method_not_allowed_bytes);
	tcase_add_test(tc, options_bytes);
	tcase_add_test(tc, null_arguments);
	tcase_add_loop_test(tc, index_table, 0,
	    (int)(sizeof(icases) / sizeof(icases[0])));
	tcase_add_test(tc, long_literal);
	suite_add_tcase(s, tc);
	tc = tcase_create("compile");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, many_routes);
	tcase_add_loop_test(tc, refused_tables, 0,
	    (int)(sizeof(bads) / sizeof(bads[0])));
	tcase_add_loop_test(tc, accepted_tables, 0,
	    (int)(sizeof(fine) / sizeof(fine[0])));
	suite_add_tcase(s, tc);
	return tu_run(s);
}
