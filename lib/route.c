/*
 * route.c - a routing table: method + path pattern -> handler, compiled once
 * (refused with a message when malformed or ambiguous), matched per request
 * on the stack without allocating; 404, 405 + Allow, HEAD and OPTIONS.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_SEGS   64           /* segments in a path or a pattern */
#define MAX_PATH   8192         /* bytes of the matched path */
#define MAX_PARAMS 16           /* {name} segments (and *) in a pattern */
#define ALLOW_MAX  512

enum seg_kind { SEG_LIT, SEG_PARAM, SEG_STAR };

struct seg {
	enum seg_kind kind;
	const char *text;           /* literal text, or the parameter's name */
	size_t len;
};

struct croute {
	const struct rsp_route *src;
	const char *method;         /* NULL: any method */
	size_t mlen;
	bool get;                   /* method is GET: also serves HEAD */
	bool star;                  /* the last segment is * */
	struct seg *segs;
	size_t nsegs;
	size_t order;               /* position in the caller's table */
};

struct rsp_router {
	struct croute *v;           /* most specific first */
	size_t n;
	/* by[k][0..nby[k]): the routes a path of k segments can match, in
	 * the order of v, so a request looks only at those */
	uint32_t *by[MAX_SEGS + 1];
	size_t nby[MAX_SEGS + 1];
	uint32_t *by_store;
	struct seg *segs;           /* storage for every route's segments */
	char *text;                 /* copies of names and literals */
};

/* What one request matched; lives on the dispatcher's stack. */
struct rsp__route_match {
	const struct croute *route;
	size_t n;
	const char *name[MAX_PARAMS];
	const char *value[MAX_PARAMS];
};

/* ---- compiling ------------------------------------------------------------ */

static int fail(char *err, size_t errlen, size_t i, const struct rsp_route *r,
    const char *why)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "route %zu (%s %s): %s", i,
		    r->method ? r->method : "*", r->pattern ? r->pattern : "(null)", why);
	return RSP_EINVAL;
}

static bool name_char(unsigned char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (!first && c >= '0' && c <= '9');
}

/* RFC 3986 pchar without '%' (literals are compared decoded, so spell them so). */
static bool literal_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != 0 && strchr("-._~!$&'()+,;=:@", c) != NULL);
}

/* Split one pattern into segs[]; names and literals point into the pattern
 * until the router copies them. */
static const char *parse_pattern(const char *p, struct seg *segs, size_t *nsegs)
{
	size_t n = 0, nparams = 0;
	if (p[0] != '/')
		return "a pattern starts with '/'";
	p++;
	for (;;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (n == MAX_SEGS)
			return "more than 64 segments";
		struct seg *s = &segs[n++];
		if (len == 1 && p[0] == '*') {
			if (end != NULL)
				return "'*' is allowed only as the last segment";
			s->kind = SEG_STAR;
			s->text = "*";
			s->len = 1;
			nparams++;
		} else if (len > 0 && p[0] == '{') {
			if (p[len - 1] != '}' || len < 3)
				return "a '{name}' segment is malformed";
			for (size_t i = 1; i + 1 < len; i++)
				if (!name_char((unsigned char)p[i], i == 1))
					return "a parameter name is [A-Za-z_][A-Za-z0-9_]*";
			s->kind = SEG_PARAM;
			s->text = p + 1;
			s->len = len - 2;
			for (size_t k = 0; k + 1 < n; k++)
				if (segs[k].kind == SEG_PARAM && segs[k].len == s->len &&
				    memcmp(segs[k].text, s->text, s->len) == 0)
					return "a parameter name is used twice";
			nparams++;
		} else {
			for (size_t i = 0; i < len; i++)
				if (!literal_char((unsigned char)p[i]))
					return p[i] == '{' || p[i] == '}' || p[i] == '*' ?
					    "'{', '}' and '*' must make a whole segment" :
					    "a literal holds a byte outside RFC 3986 pchar (or '%')";
			if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
				return "'.' and '..' segments never match";
			s->kind = SEG_LIT;
			s->text = p;
			s->len = len;
		}
		if (nparams > MAX_PARAMS)
			return "more than 16 parameters";
		if (end == NULL)
			break;
		p = end + 1;
	}
	*nsegs = n;
	return NULL;
}

/* Specificity: segment by segment, literal before {param} before *; within
 * one shape a named method before any, HEAD before GET (so that an explicit
 * HEAD route wins over GET's). */
static int seg_cmp(const struct croute *a, const struct croute *b)
{
	size_t n = a->nsegs < b->nsegs ? a->nsegs : b->nsegs;
	for (size_t i = 0; i < n; i++) {
		const struct seg *x = &a->segs[i], *y = &b->segs[i];
		if (x->kind != y->kind)
			return (int)x->kind - (int)y->kind;
		if (x->kind == SEG_LIT) {
			size_t m = x->len < y->len ? x->len : y->len;
			int c = memcmp(x->text, y->text, m);
			if (c != 0 || x->len != y->len)
				return c != 0 ? c : (x->len < y->len ? -1 : 1);
		}
	}
	return a->nsegs == b->nsegs ? 0 : (a->nsegs > b->nsegs ? -1 : 1);
}

static int method_rank(const char *m)
{
	return m == NULL ? 2 : strcmp(m, "HEAD") == 0 ? 0 : 1;
}

static int route_cmp(const void *pa, const void *pb)
{
	const struct croute *a = pa, *b = pb;
	int c = seg_cmp(a, b);
	if (c == 0)
		c = method_rank(a->method) - method_rank(b->method);
	if (c == 0 && a->method && b->method)
		c = strcmp(a->method, b->method);
	return c != 0 ? c : (a->order < b->order ? -1 : a->order > b->order);
}

void rsp_router_free(rsp_router *rt)
{
	if (rt == NULL)
		return;
	free(rt->v);
	free(rt->segs);
	free(rt->text);
	free(rt->by_store);
	free(rt);
}

/* Copy names and literals out of the caller's strings. */
static int own_text(rsp_router *rt, size_t total)
{
	size_t used = 0;
	if ((rt->text = malloc(total + 1)) == NULL)
		return RSP_ENOMEM;
	for (size_t i = 0; i < rt->n; i++)
		for (size_t k = 0; k < rt->v[i].nsegs; k++) {
			struct seg *s = &rt->v[i].segs[k];
			memcpy(rt->text + used, s->text, s->len);
			rt->text[used + s->len] = '\0';
			s->text = rt->text + used;
			used += s->len + 1;
		}
	return RSP_OK;
}

/* Could a path of k segments match route c? */
static bool count_fits_k(const struct croute *c, size_t k)
{
	return c->star ? k >= c->nsegs : k == c->nsegs;
}

static int index_counts(rsp_router *rt)
{
	size_t total = 0;
	for (size_t k = 1; k <= MAX_SEGS; k++)
		for (size_t i = 0; i < rt->n; i++)
			total += count_fits_k(&rt->v[i], k);
	if ((rt->by_store = calloc(total ? total : 1, sizeof(*rt->by_store))) == NULL)
		return RSP_ENOMEM;
	uint32_t *next = rt->by_store;
	for (size_t k = 1; k <= MAX_SEGS; k++) {
		rt->by[k] = next;
		for (size_t i = 0; i < rt->n; i++)
			if (count_fits_k(&rt->v[i], k))
				rt->by[k][rt->nby[k]++] = (uint32_t)i;
		next += rt->nby[k];
	}
	return RSP_OK;
}

rsp_router *rsp_router_new(const struct rsp_route *routes, size_t n,
    char *err, size_t errlen)
{
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (routes == NULL || n == 0) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "the routing table is empty");
		return NULL;
	}
	rsp_router *rt = calloc(1, sizeof(*rt));
	struct seg tmp[MAX_SEGS];
	size_t total_segs = 0, total_text = 0;
	if (rt == NULL || (rt->v = calloc(n, sizeof(*rt->v))) == NULL ||
	    (rt->segs = calloc(n * MAX_SEGS, sizeof(*rt->segs))) == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		const struct rsp_route *r = &routes[i];
		struct croute *c = &rt->v[i];
		const char *why = NULL;
		if (r->pattern == NULL)
			why = "no pattern";
		else if (r->handler == NULL)
			why = "no handler";
		else if (r->method != NULL && strcmp(r->method, "*") != 0 &&
		    !rsp__is_token(r->method, strlen(r->method)))
			why = "the method is not an HTTP token";
		else
			why = parse_pattern(r->pattern, tmp, &c->nsegs);
		if (why != NULL) {
			fail(err, errlen, i, r, why);
			rsp_router_free(rt);
			return NULL;
		}
		c->src = r;
		c->order = i;
		c->method = r->method && strcmp(r->method, "*") != 0 ? r->method : NULL;
		c->mlen = c->method ? strlen(c->method) : 0;
		c->get = c->method && strcmp(c->method, "GET") == 0;
		c->star = tmp[c->nsegs - 1].kind == SEG_STAR;
		c->segs = rt->segs + total_segs;
		memcpy(c->segs, tmp, c->nsegs * sizeof(tmp[0]));
		total_segs += c->nsegs;
		for (size_t k = 0; k < c->nsegs; k++)
			total_text += c->segs[k].len + 1;
	}
	rt->n = n;
	qsort(rt->v, n, sizeof(*rt->v), route_cmp);
	/* Same shape and same method: which would win depends on table order. */
	for (size_t i = 1; i < n; i++) {
		const struct croute *a = &rt->v[i - 1], *b = &rt->v[i];
		if (seg_cmp(a, b) == 0 && ((a->method == NULL && b->method == NULL) ||
		    (a->method && b->method && strcmp(a->method, b->method) == 0))) {
			char why[64];
			snprintf(why, sizeof(why), "ambiguous with route %zu", a->order);
			fail(err, errlen, b->order, b->src, why);
			rsp_router_free(rt);
			return NULL;
		}
	}
	if (own_text(rt, total_text) != RSP_OK || index_counts(rt) != RSP_OK)
		goto nomem;
	return rt;
nomem:
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "out of memory");
	rsp_router_free(rt);
	return NULL;
}

/* ---- matching ----------------------------------------------------------------- */

/* The request's path split at raw '/' and each segment decoded. */
struct path {
	size_t n;
	const char *seg[MAX_SEGS];  /* decoded, NUL-terminated */
	size_t len[MAX_SEGS];
	size_t raw[MAX_SEGS];       /* offset of each segment in the raw path */
	const char *rawp;           /* the raw path (not NUL-terminated) */
	size_t rawlen;
	char buf[2 * MAX_PATH + 2 * MAX_SEGS];
};

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * The path to route: REQUEST_URI's path (raw: "%2F" stays inside its
 * segment); when the server split it (PATH_INFO not empty), less the
 * SCRIPT_NAME prefix, if it ends at a segment boundary.  Without
 * REQUEST_URI, PATH_INFO (already decoded by the server); else "/".
 * (nginx's stock fastcgi_params make SCRIPT_NAME the whole path when
 * there is no split: then the whole path is what routes.)
 */
static void request_path(const rsp_request *req, const char **p, size_t *len)
{
	const char *uri = rsp_request_param(req, "REQUEST_URI"), *pi;
	if (uri != NULL && uri[0] == '/') {
		size_t n = strcspn(uri, "?#");
		const char *sn = rsp__request_var(req, RSP__V_SCRIPT);
		size_t sl = sn ? strlen(sn) : 0;
		if (sl > 0 && sn[sl - 1] == '/')
			sl--;
		/* SCRIPT_NAME as the whole path leaves no PATH_INFO to route by
		 * (so the common case never looks PATH_INFO up). */
		if (sl > 0 && sl < n && uri[sl] == '/' && memcmp(uri, sn, sl) == 0 &&
		    (pi = rsp_request_param(req, "PATH_INFO")) != NULL && pi[0] != '\0') {
			uri += sl;
			n -= sl;
		}
		*p = uri;
		*len = n ? n : 1;
		return;
	}
	pi = rsp_request_param(req, "PATH_INFO");
	*p = pi != NULL && pi[0] == '/' ? pi : "/";
	*len = strlen(*p);
}

/* 0, or the status to answer: 400 (a NUL or a dot segment), 414 (too long). */
static int split_path(struct path *ps, const char *p, size_t len)
{
	if (len > MAX_PATH)
		return 414;
	ps->rawp = p;
	ps->rawlen = len;
	ps->n = 0;
	char *out = ps->buf;
	size_t i = 1;                    /* p[0] == '/' */
	for (;;) {
		if (ps->n == MAX_SEGS)
			return 414;
		ps->raw[ps->n] = i;
		ps->seg[ps->n] = out;
		char *start = out;
		while (i < len && p[i] != '/') {
			int h, l;
			if (p[i] == '%' && i + 2 < len &&
			    (h = hexval((unsigned char)p[i + 1])) >= 0 &&
			    (l = hexval((unsigned char)p[i + 2])) >= 0) {
				char c = (char)(h << 4 | l);
				if (c == '\0')
					return 400;
				*out++ = c;
				i += 3;
			} else {
				*out++ = p[i++];
			}
		}
		*out++ = '\0';
		ps->len[ps->n] = (size_t)(out - start - 1);
		if ((ps->len[ps->n] == 1 && start[0] == '.') ||
		    (ps->len[ps->n] == 2 && start[0] == '.' && start[1] == '.'))
			return 400;
		ps->n++;
		if (i >= len)
			break;
		i++;                     /* the '/' */
	}
	return 0;
}

/* Does the route's pattern match the path?  Fills m's parameters. */
static bool match_path(const struct croute *c, struct path *ps,
    struct rsp__route_match *m)
{
	size_t k;
	m->n = 0;
	for (k = 0; k < c->nsegs; k++) {
		const struct seg *s = &c->segs[k];
		if (s->kind == SEG_STAR) {
			if (k >= ps->n)
				return false;
					/* the raw remainder, copied after the decoded segments */
			size_t off = ps->raw[k], n = ps->rawlen - off;
			char *t = ps->buf + MAX_PATH + MAX_SEGS;
			memcpy(t, ps->rawp + off, n);
			t[n] = '\0';
			m->name[m->n] = "*";
			m->value[m->n++] = t;
			return true;
		}
		if (k >= ps->n)
			return false;
		if (s->kind == SEG_LIT) {
			if (s->len != ps->len[k] || memcmp(s->text, ps->seg[k], s->len) != 0)
				return false;
		} else {
			if (ps->len[k] == 0)
				return false;
			m->name[m->n] = s->text;
			m->value[m->n++] = ps->seg[k];
		}
	}
	return k == ps->n;
}

/* The request's method, measured once per request. */
struct method { const char *s; size_t len; bool head; };

static bool method_matches(const struct croute *c, const struct method *m)
{
	return c->method == NULL || (c->mlen == m->len &&
	    memcmp(c->method, m->s, m->len) == 0) || (m->head && c->get);
}



static void allow_add(char *allow, size_t *len, const char *m)
{
	size_t ml = strlen(m), pos = 0;
	while (pos < *len) {             /* already listed? */
		size_t e = pos;
		while (e < *len && allow[e] != ',')
			e++;
		if (e - pos == ml && memcmp(allow + pos, m, ml) == 0)
			return;
		pos = e + 2;
	}
	if (*len + ml + 3 > ALLOW_MAX)
		return;
	if (*len > 0) {
		memcpy(allow + *len, ", ", 2);
		*len += 2;
	}
	memcpy(allow + *len, m, ml);
	*len += ml;
	allow[*len] = '\0';
}

/* The methods of every route whose pattern matches; false when none does. */
static bool allowed(const rsp_router *rt, struct path *ps,
    char *allow, size_t *len)
{
	struct rsp__route_match m;
	bool any = false, all = false;
	*len = 0;
	allow[0] = '\0';
	for (size_t i = 0; i < rt->nby[ps->n]; i++) {
		const struct croute *c = &rt->v[rt->by[ps->n][i]];
		if (!match_path(c, ps, &m))
			continue;
		any = true;
		if (c->method == NULL) {
			all = true;
			continue;
		}
		allow_add(allow, len, c->method);
		if (strcmp(c->method, "GET") == 0)
			allow_add(allow, len, "HEAD");
	}
	if (all) {
		static const char *const common[] = { "GET", "HEAD", "POST", "PUT",
		    "PATCH", "DELETE" };
		for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
			allow_add(allow, len, common[i]);
	}
	if (any)
		allow_add(allow, len, "OPTIONS");
	return any;
}

static int answer_error(rsp_response *res, int code, const char *msg,
    const char *allow)
{
	int rc = rsp_set_error(res, code, msg);
	if (rc == RSP_OK && allow != NULL)
		rc = rsp_headers_set(res->headers, "Allow", allow);
	return rc;
}

int rsp_router_dispatch(rsp_request *req, rsp_response *res, void *router)
{
	const rsp_router *rt = router;
	if (rt == NULL || req == NULL || res == NULL)
		return RSP_EINVAL;
	struct path ps;
	struct rsp__route_match m;
	const char *p, *method = rsp_request_method(req);
	size_t len;

	request_path(req, &p, &len);
	int bad = split_path(&ps, p, len);
	if (bad == 400)
		return answer_error(res, 400, "the path holds %00 or a dot segment", NULL);
	if (bad == 414)
		return answer_error(res, 414, "the path is too long", NULL);
	struct method mt = { method, strlen(method), strcmp(method, "HEAD") == 0 };
	for (size_t i = 0; i < rt->nby[ps.n]; i++) {
		const struct croute *c = &rt->v[rt->by[ps.n][i]];
		if (!method_matches(c, &mt) || !match_path(c, &ps, &m))
			continue;
		m.route = c;
		rsp__request_set_route(req, &m);
		int rc = c->src->handler(req, res, c->src->arg);
		rsp__request_set_route(req, NULL);
		return rc;
	}
	char allow[ALLOW_MAX];
	if (!allowed(rt, &ps, allow, &len))
		return answer_error(res, 404, "no route for this path", NULL);
	if (strcmp(method, "OPTIONS") == 0) {
		int rc = rsp_set_status(res, 204, NULL);
		if (rc == RSP_OK)
			rc = rsp_headers_set(res->headers, "Allow", allow);
		return rc;
	}
	return answer_error(res, 405, "method not allowed", allow);
}

const char *rsp_route_param(const rsp_request *req, const char *name)
{
	const struct rsp__route_match *m = rsp__request_route(req);
	if (m == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->name[i], name) == 0)
			return m->value[i];
	return NULL;
}

const char *rsp_route_pattern(const rsp_request *req)
{
	const struct rsp__route_match *m = rsp__request_route(req);
	return m != NULL ? m->route->src->pattern : NULL;
}

int rsp_run_routes(const struct rsp_route *routes, size_t n,
    const struct rsp_options *opts)
{
	char err[256];
	rsp_router *rt = rsp_router_new(routes, n, err, sizeof(err));
	if (rt == NULL) {
		fprintf(stderr, "respond: %s\n", err);
		return 64;
	}
	int rc = rsp_run_with(rsp_router_dispatch, rt, opts);
	rsp_router_free(rt);
	return rc;
}
