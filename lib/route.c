/*
 * route.c - a routing table: method + path pattern -> handler, compiled once
 * (refused with a message when malformed or ambiguous; indexed by segment
 * count, first literal and exact path), matched per request on the stack
 * without allocating; 404, 405 + Allow, HEAD and OPTIONS.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_SEGS 64   /* segments in a path or a pattern */
#define MAX_PATH 8192 /* bytes of the matched path */
#define MAX_PARAMS 16 /* {name} segments (and *) in a pattern */
#define ALLOW_MAX 512
#define NO_ID UINT32_MAX

enum seg_kind { SEG_LIT, SEG_PARAM, SEG_STAR };

struct seg {
	enum seg_kind kind;
	const char *text; /* literal text, or the parameter's name */
	size_t len;
};

struct croute {
	const struct rsp_route *src;
	const char *method; /* NULL: any method */
	size_t mlen;
	uint64_t mkey;  /* method_key of the method */
	bool get;       /* method is GET: also serves HEAD */
	bool star;      /* the last segment is * */
	uint32_t first; /* id of the first segment in firsts, or NO_ID */
	uint32_t path;  /* id of the all-literal pattern in paths, or NO_ID */
	struct seg *segs;
	size_t nsegs;
	size_t order; /* position in the caller's table */
};

/* Distinct strings numbered 0, 1, ... in order of addition, in an
 * open-addressed hash table (a slot holds id + 1, 0 is empty; at least
 * half the slots stay empty). */
struct strset {
	struct skey {
		const char *s;
		size_t len;
		uint32_t hash;
		uint32_t at; /* the first route in v that added it */
	} * key;
	size_t n;
	uint32_t *slot;
	size_t mask;
};

struct rsp_router {
	struct croute *v; /* most specific first */
	size_t n;
	/* by[k][0..nby[k]): the routes a path of k segments can match, in
	 * the order of v, so a request looks only at those.  The order of v
	 * puts literal first segments before {name} and *, and equal ones
	 * together: by[k][0..lit[k]) is runs of one first id each, ids
	 * increasing; by[k][lit[k]..nby[k]) begin with {name} or *. */
	uint32_t *by[MAX_SEGS + 1];
	size_t nby[MAX_SEGS + 1];
	size_t lit[MAX_SEGS + 1];
	uint32_t *by_store;
	struct strset firsts; /* literal first segments */
	struct strset paths;  /* patterns without {name} or * */
	struct seg *segs;     /* storage for every route's segments */
	char *text;           /* copies of names and literals */
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
		    r->method ? r->method : "*",
		    r->pattern ? r->pattern : "(null)", why);
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
	    (c >= '0' && c <= '9') ||
	    (c != 0 && strchr("-._~!$&'()+,;=:@", c) != NULL);
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
				if (segs[k].kind == SEG_PARAM &&
				    segs[k].len == s->len &&
				    memcmp(segs[k].text, s->text, s->len) == 0)
					return "a parameter name is used twice";
			nparams++;
		} else {
			for (size_t i = 0; i < len; i++)
				if (!literal_char((unsigned char)p[i]))
					return p[i] == '{' || p[i] == '}' ||
					        p[i] == '*'
					    ? "'{', '}' and '*' must make a whole segment"
					    : "a literal holds a byte outside RFC 3986 pchar (or '%')";
			if ((len == 1 && p[0] == '.') ||
			    (len == 2 && p[0] == '.' && p[1] == '.'))
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
	free(rt->firsts.key);
	free(rt->firsts.slot);
	free(rt->paths.key);
	free(rt->paths.slot);
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

/* A few instructions per 8 bytes: every byte enters the product once (the
 * last 1 to 8 through two overlapping loads), and so does the length. */
static inline uint32_t hash_bytes(const char *s, size_t n)
{
	const uint64_t mul = 0x9e3779b97f4a7c15u;
	uint64_t h = n * mul, w = 0;
	uint32_t x, y;
	for (; n > 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * mul;
		h ^= h >> 29;
	}
	if (n >= 4) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		w = (uint64_t)x << 32 | y;
	} else if (n > 0) {
		w = (uint64_t)(unsigned char)s[0] << 16 |
		    (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (unsigned char)s[n - 1];
	}
	h = (h ^ w) * mul;
	return (uint32_t)(h >> 32);
}

/* memcmp(a, b, n) == 0, without a call for the few bytes that methods and
 * segments usually are (4 to 8: two overlapping loads each). */
static inline bool same(const char *a, const char *b, size_t n)
{
	uint32_t a0, a1, b0, b1;
	if (n > 8)
		return memcmp(a, b, n) == 0;
	if (n >= 4) {
		memcpy(&a0, a, 4);
		memcpy(&b0, b, 4);
		memcpy(&a1, a + n - 4, 4);
		memcpy(&b1, b + n - 4, 4);
		return ((a0 ^ b0) | (a1 ^ b1)) == 0;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static int set_init(struct strset *t, size_t max)
{
	size_t size = 2;
	while (size < 2 * max)
		size *= 2;
	t->mask = size - 1;
	t->key = calloc(max, sizeof(*t->key));
	t->slot = calloc(size, sizeof(*t->slot));
	return t->key != NULL && t->slot != NULL ? RSP_OK : RSP_ENOMEM;
}

/* The id of s (whose hash_bytes is h), or NO_ID. */
static inline uint32_t set_find(const struct strset *t, const char *s,
    size_t len, uint32_t h)
{
	for (size_t i = h & t->mask; t->slot[i] != 0; i = (i + 1) & t->mask) {
		const struct skey *k = &t->key[t->slot[i] - 1];
		if (k->hash == h && k->len == len && same(k->s, s, len))
			return t->slot[i] - 1;
	}
	return NO_ID;
}

/* The id of s, added (for route at) when new.  Equal strings come one after
 * another (v sorts them together): s is new unless it is the last added. */
static uint32_t set_add(struct strset *t, const char *s, size_t len, size_t at)
{
	const struct skey *last = t->n > 0 ? &t->key[t->n - 1] : NULL;
	if (last != NULL && last->len == len && memcmp(last->s, s, len) == 0)
		return (uint32_t)(t->n - 1);
	uint32_t h = hash_bytes(s, len);
	size_t i = h & t->mask;
	while (t->slot[i] != 0)
		i = (i + 1) & t->mask;
	t->key[t->n] = (struct skey){ s, len, h, (uint32_t)at };
	t->slot[i] = (uint32_t)++t->n;
	return (uint32_t)(t->n - 1);
}

/* The length of method s, and its bytes packed into an integer when there
 * are 8 at most (else 0): a C string holds no 0 byte, so equal keys are
 * equal methods. */
static uint64_t method_key(const char *s, size_t *len)
{
	uint64_t k = 0;
	size_t n = 0;
	for (; n < 8 && s[n] != '\0'; n++)
		k = k << 8 | (unsigned char)s[n];
	if (s[n] == '\0') {
		*len = n;
		return k;
	}
	*len = n + strlen(s + n);
	return 0;
}

/* Number the literal first segments and the all-literal patterns in the
 * order of v, which sorts equal ones together: ids increase along v. */
static int index_literals(rsp_router *rt)
{
	if (set_init(&rt->firsts, rt->n) != RSP_OK ||
	    set_init(&rt->paths, rt->n) != RSP_OK)
		return RSP_ENOMEM;
	for (size_t i = 0; i < rt->n; i++) {
		struct croute *c = &rt->v[i];
		size_t lits = 0;
		while (lits < c->nsegs && c->segs[lits].kind == SEG_LIT)
			lits++;
		c->first = lits == 0
		    ? NO_ID
		    : set_add(&rt->firsts, c->segs[0].text, c->segs[0].len, i);
		c->path = lits < c->nsegs ? NO_ID
		                          : set_add(&rt->paths, c->src->pattern,
		                                strlen(c->src->pattern), i);
	}
	return RSP_OK;
}

static int index_counts(rsp_router *rt)
{
	size_t total = 0;
	for (size_t k = 1; k <= MAX_SEGS; k++)
		for (size_t i = 0; i < rt->n; i++)
			total += count_fits_k(&rt->v[i], k);
	if ((rt->by_store = calloc(total ? total : 1, sizeof(*rt->by_store))) ==
	    NULL)
		return RSP_ENOMEM;
	uint32_t *next = rt->by_store;
	for (size_t k = 1; k <= MAX_SEGS; k++) {
		rt->by[k] = next;
		for (size_t i = 0; i < rt->n; i++)
			if (count_fits_k(&rt->v[i], k))
				rt->by[k][rt->nby[k]++] = (uint32_t)i;
		while (rt->lit[k] < rt->nby[k] &&
		    rt->v[rt->by[k][rt->lit[k]]].first != NO_ID)
			rt->lit[k]++;
		next += rt->nby[k];
	}
	return RSP_OK;
}

/* Why route r cannot be routed (its pattern parsed into tmp), or NULL. */
static const char *check_route(const struct rsp_route *r, struct seg *tmp,
    size_t *nsegs)
{
	if (r->pattern == NULL)
		return "no pattern";
	if (r->handler == NULL)
		return "no handler";
	if (r->method != NULL && strcmp(r->method, "*") != 0 &&
	    !rsp__is_token(r->method, strlen(r->method)))
		return "the method is not an HTTP token";
	return parse_pattern(r->pattern, tmp, nsegs);
}

/* Route r (table index i) as c, its segments copied into the shared array
 * at *total_segs; *total_text grows by the text own_text will copy. */
static void fill_route(rsp_router *rt, struct croute *c,
    const struct rsp_route *r, size_t i, const struct seg *tmp,
    size_t *total_segs, size_t *total_text)
{
	c->src = r;
	c->order = i;
	c->method = r->method && strcmp(r->method, "*") != 0 ? r->method : NULL;
	c->mkey = c->method ? method_key(c->method, &c->mlen) : 0;
	c->get = c->method && strcmp(c->method, "GET") == 0;
	c->star = tmp[c->nsegs - 1].kind == SEG_STAR;
	c->segs = rt->segs + *total_segs;
	memcpy(c->segs, tmp, c->nsegs * sizeof(tmp[0]));
	*total_segs += c->nsegs;
	for (size_t k = 0; k < c->nsegs; k++)
		*total_text += c->segs[k].len + 1;
}

/* Every route into rt->v in table order; false (err filled) at the first
 * that cannot be routed. */
static bool compile_routes(rsp_router *rt, const struct rsp_route *routes,
    size_t n, char *err, size_t errlen, size_t *total_text)
{
	struct seg tmp[MAX_SEGS];
	size_t total_segs = 0;
	for (size_t i = 0; i < n; i++) {
		const struct rsp_route *r = &routes[i];
		struct croute *c = &rt->v[i];
		const char *why = check_route(r, tmp, &c->nsegs);
		if (why != NULL) {
			fail(err, errlen, i, r, why);
			return false;
		}
		fill_route(rt, c, r, i, tmp, &total_segs, total_text);
	}
	return true;
}

/* Same shape and same method (neighbours once sorted): which would win
 * depends on table order, so the table is refused (err filled). */
static bool ambiguous(const rsp_router *rt, char *err, size_t errlen)
{
	for (size_t i = 1; i < rt->n; i++) {
		const struct croute *a = &rt->v[i - 1], *b = &rt->v[i];
		if (seg_cmp(a, b) == 0 &&
		    ((a->method == NULL && b->method == NULL) ||
		        (a->method && b->method &&
		            strcmp(a->method, b->method) == 0))) {
			char why[64];
			snprintf(why, sizeof(why), "ambiguous with route %zu",
			    a->order);
			fail(err, errlen, b->order, b->src, why);
			return true;
		}
	}
	return false;
}

rsp_router *rsp_router_new(const struct rsp_route *routes, size_t n, char *err,
    size_t errlen)
{
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (routes == NULL || n == 0) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "the routing table is empty");
		return NULL;
	}
	rsp_router *rt = calloc(1, sizeof(*rt));
	size_t total_text = 0;
	if (rt == NULL || (rt->v = calloc(n, sizeof(*rt->v))) == NULL ||
	    (rt->segs = calloc(n * MAX_SEGS, sizeof(*rt->segs))) == NULL)
		goto nomem;
	if (!compile_routes(rt, routes, n, err, errlen, &total_text)) {
		rsp_router_free(rt);
		return NULL;
	}
	rt->n = n;
	qsort(rt->v, n, sizeof(*rt->v), route_cmp);
	if (ambiguous(rt, err, errlen)) {
		rsp_router_free(rt);
		return NULL;
	}
	if (own_text(rt, total_text) != RSP_OK ||
	    index_literals(rt) != RSP_OK || index_counts(rt) != RSP_OK)
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
	const char *seg[MAX_SEGS]; /* decoded, NUL-terminated */
	size_t len[MAX_SEGS];
	size_t raw[MAX_SEGS]; /* offset of each segment in the raw path */
	const char *rawp;     /* the raw path (not NUL-terminated) */
	size_t rawlen;
	char buf[2 * MAX_PATH + 2 * MAX_SEGS];
};

/*
 * The path to route: REQUEST_URI's path (raw: "%2F" stays inside its
 * segment); when the server split it (PATH_INFO not empty), less the
 * SCRIPT_NAME prefix, if it ends at a segment boundary.  Without
 * REQUEST_URI, PATH_INFO (already decoded by the server); else "/".
 * (nginx's stock fastcgi_params make SCRIPT_NAME the whole path when
 * there is no split: then the whole path is what routes.)  The values
 * are read in place from the environment, which outlives the dispatch.
 */
static void request_path(const rsp_request *req, const char **p, size_t *len)
{
	const char *uri = rsp__request_var(req, RSP__V_URI), *pi;
	if (uri != NULL && uri[0] == '/') {
		size_t n = strcspn(uri, "?#");
		const char *sn = rsp__request_var(req, RSP__V_SCRIPT);
		size_t sl = sn ? strlen(sn) : 0;
		if (sl > 0 && sn[sl - 1] == '/')
			sl--;
		/* SCRIPT_NAME as the whole path leaves no PATH_INFO to route by
		 * (so the common case never looks PATH_INFO up). */
		if (sl > 0 && sl < n && uri[sl] == '/' &&
		    memcmp(uri, sn, sl) == 0 &&
		    (pi = rsp__request_var(req, RSP__V_PATH_INFO)) != NULL &&
		    pi[0] != '\0') {
			uri += sl;
			n -= sl;
		}
		*p = uri;
		*len = n ? n : 1;
		return;
	}
	pi = rsp__request_var(req, RSP__V_PATH_INFO);
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
	size_t i = 1; /* p[0] == '/' */
	for (;;) {
		if (ps->n == MAX_SEGS)
			return 414;
		ps->raw[ps->n] = i;
		ps->seg[ps->n] = out;
		char *start = out;
		while (i < len && p[i] != '/') {
			int h, l;
			if (p[i] == '%' && i + 2 < len &&
			    (h = rsp__hexval((unsigned char)p[i + 1])) >= 0 &&
			    (l = rsp__hexval((unsigned char)p[i + 2])) >= 0) {
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
		i++; /* the '/' */
	}
	return 0;
}

/* Does route c's pattern match the path?  Fills m's parameters.  c is a
 * candidate (cand_next): it has the path's segment count, or fewer before a
 * final *, and a literal first segment of c equals the path's already. */
static bool match_path(const struct croute *c, struct path *ps,
    struct rsp__route_match *m)
{
	m->n = 0;
	for (size_t k = 0; k < c->nsegs; k++) {
		const struct seg *s = &c->segs[k];
		/* a final * may stand for no segment at all */
		if (k >= ps->n && s->kind != SEG_STAR)
			return false;
		if (s->kind == SEG_LIT) {
			if (k > 0 &&
			    (s->len != ps->len[k] ||
			        !same(s->text, ps->seg[k], s->len)))
				return false;
		} else if (s->kind == SEG_PARAM) {
			if (ps->len[k] == 0)
				return false;
			m->name[m->n] = s->text;
			m->value[m->n++] = ps->seg[k];
		} else {
			/* the raw remainder, copied after the decoded segments */
			size_t off = k < ps->n ? ps->raw[k] : ps->rawlen;
			size_t n = ps->rawlen - off;
			char *t = ps->buf + MAX_PATH + MAX_SEGS;
			memcpy(t, ps->rawp + off, n);
			t[n] = '\0';
			m->name[m->n] = "*";
			m->value[m->n++] = t;
		}
	}
	return true;
}

/*
 * The routes path ps can match, most specific first: in by[ps->n], the run
 * whose first literal is the path's first segment (its id from the hash
 * table, the run by binary search: ids increase along by[k][0..lit[k])),
 * then the routes that begin with {name} or *.  The routes skipped begin
 * with another literal and cannot match, so the others come in the order
 * of v: the winner and the Allow list are those of a walk over all.
 */
struct cands {
	const rsp_router *rt;
	const uint32_t *by;
	size_t i, lit, end;
	uint32_t id;
};

static void cands_init(struct cands *cs, const rsp_router *rt,
    const struct path *ps)
{
	size_t lo = 0, hi = rt->lit[ps->n];
	cs->rt = rt;
	cs->by = rt->by[ps->n];
	cs->lit = hi;
	cs->end = rt->nby[ps->n];
	cs->id = hi == 0 ? NO_ID
	                 : set_find(&rt->firsts, ps->seg[0], ps->len[0],
	                       hash_bytes(ps->seg[0], ps->len[0]));
	if (cs->id == NO_ID)
		lo = hi;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rt->v[cs->by[mid]].first < cs->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	cs->i = lo;
}

static inline const struct croute *cand_next(struct cands *cs)
{
	if (cs->i < cs->lit) {
		const struct croute *c = &cs->rt->v[cs->by[cs->i]];
		if (c->first == cs->id) {
			cs->i++;
			return c;
		}
		cs->i = cs->lit;
	}
	return cs->i < cs->end ? &cs->rt->v[cs->by[cs->i++]] : NULL;
}

/* The request's method: the environment's REQUEST_METHOD, read at once
 * (not handed out: nothing keeps it past the dispatch); unset or empty is
 * GET, as for rsp_request_method.  len and key only for a walk. */
struct method {
	const char *s;
	bool head;
	size_t len;
	uint64_t key;
};

static void method_of(const rsp_request *req, struct method *m)
{
	const char *s = rsp__request_var(req, RSP__V_METHOD);
	m->s = s != NULL && s[0] != '\0' ? s : "GET";
	m->head = m->s[0] == 'H' && strcmp(m->s, "HEAD") == 0;
}

/* For the one or two routes of an exact path: byte by byte up to the
 * route's length (a shorter request method stops the loop at its NUL). */
static bool method_is(const struct croute *c, const struct method *m)
{
	size_t i = 0;
	if (c->method == NULL || (m->head && c->get))
		return true;
	while (i < c->mlen && c->method[i] == m->s[i])
		i++;
	return i == c->mlen && m->s[i] == '\0';
}

/* For the many routes of a walk: the request's key, packed once. */
static inline bool method_matches(const struct croute *c,
    const struct method *m)
{
	if (c->method == NULL || (m->head && c->get))
		return true;
	if (c->mkey != 0)
		return c->mkey == m->key;
	return c->mlen == m->len && same(c->method, m->s, m->len);
}

/*
 * The route for a raw path (at most MAX_PATH bytes) equal byte for byte to
 * an all-literal pattern, or NULL.  Such a path has no '%' and no dot
 * segment, and no other pattern that matches it is as specific, so the
 * routes of that pattern (one per method, together in v) are the first
 * that a walk would try: one hash lookup stands for the walk.
 */
static const struct croute *exact_route(const rsp_router *rt, const char *p,
    size_t len, const struct method *mt)
{
	if (rt->paths.n == 0)
		return NULL;
	uint32_t id = set_find(&rt->paths, p, len, hash_bytes(p, len));
	if (id == NO_ID)
		return NULL;
	const struct croute *c = &rt->v[rt->paths.key[id].at],
	                    *end = rt->v + rt->n;
	for (; c < end && c->path == id; c++)
		if (method_is(c, mt))
			return c;
	return NULL;
}

/* Call route c's handler, its match reachable through the request. */
static int call(rsp_request *req, rsp_response *res, const struct croute *c,
    struct rsp__route_match *m)
{
	m->route = c;
	rsp__request_set_route(req, m);
	int rc = c->src->handler(req, res, c->src->arg);
	rsp__request_set_route(req, NULL);
	return rc;
}

static void allow_add(char *allow, size_t *len, const char *m)
{
	size_t ml = strlen(m), pos = 0;
	while (pos < *len) { /* already listed? */
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
static bool allowed(const rsp_router *rt, struct path *ps, char *allow,
    size_t *len)
{
	struct rsp__route_match m;
	struct cands cs;
	const struct croute *c;
	bool any = false, all = false;
	*len = 0;
	allow[0] = '\0';
	cands_init(&cs, rt, ps);
	while ((c = cand_next(&cs)) != NULL) {
		if (!match_path(c, ps, &m))
			continue;
		any = true;
		if (c->method == NULL) {
			all = true;
			continue;
		}
		allow_add(allow, len, c->method);
		if (c->get)
			allow_add(allow, len, "HEAD");
	}
	if (all) {
		static const char *const common[] = { "GET", "HEAD", "POST",
			"PUT", "PATCH", "DELETE" };
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

/* Split and decode the path, call the first candidate whose method and
 * pattern match, else answer 400, 414, 404, 405 or OPTIONS' 204. */
static int walk(const rsp_router *rt, rsp_request *req, rsp_response *res,
    const char *p, size_t len, struct method *mt)
{
	struct path ps;
	struct rsp__route_match m;
	struct cands cs;
	const struct croute *c;
	int bad = split_path(&ps, p, len);
	if (bad == 400)
		return answer_error(res, 400,
		    "the path holds %00 or a dot segment", NULL);
	if (bad == 414)
		return answer_error(res, 414, "the path is too long", NULL);
	mt->key = method_key(mt->s, &mt->len);
	cands_init(&cs, rt, &ps);
	while ((c = cand_next(&cs)) != NULL)
		if (method_matches(c, mt) && match_path(c, &ps, &m))
			return call(req, res, c, &m);
	char allow[ALLOW_MAX];
	if (!allowed(rt, &ps, allow, &len))
		return answer_error(res, 404, "no route for this path", NULL);
	if (strcmp(mt->s, "OPTIONS") == 0) {
		int rc = rsp_set_status(res, 204, NULL);
		if (rc == RSP_OK)
			rc = rsp_headers_set(res->headers, "Allow", allow);
		return rc;
	}
	return answer_error(res, 405, "method not allowed", allow);
}

int rsp_router_dispatch(rsp_request *req, rsp_response *res, void *router)
{
	const rsp_router *rt = router;
	if (rt == NULL || req == NULL || res == NULL)
		return RSP_EINVAL;
	struct method mt;
	const struct croute *c;
	const char *p;
	size_t len;

	request_path(req, &p, &len);
	method_of(req, &mt);
	if (len <= MAX_PATH && (c = exact_route(rt, p, len, &mt)) != NULL) {
		struct rsp__route_match m;
		m.n = 0;
		return call(req, res, c, &m);
	}
	return walk(rt, req, res, p, len, &mt);
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
