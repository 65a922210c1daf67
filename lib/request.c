/*
 * request.c - the request: CGI meta-variables (or FastCGI params), headers,
 * the query string, cookies, the body and forms, HTTP Basic credentials.
 *
 * Everything is lazy: constructing a request only records where the
 * variables and the body are.  The query string is parsed on the first query
 * call, the cookies on the first cookie call, the body is read on the first
 * body/form/upload call (or by rsp_request_status), and each result is kept.
 * All per-request memory is in one arena plus the body (a heap block, or a
 * mapping of an unlinked temporary file for bodies over spill_threshold),
 * released together by rsp_request_free or rsp__request_reset.
 *
 * rsp_request_status judges, and reports the worst of (malformed beats over a
 * limit beats anything else), with the reason rsp_request_errmsg gives:
 *   1. REQUEST_METHOD, when set and not empty, must be a token (RSP_EBADREQ;
 *      unset or empty is GET);
 *   2. QUERY_STRING: at most max_query bytes and max_params pairs
 *      (RSP_ELIMIT), no NUL after decoding (RSP_EBADREQ);
 *   3. CONTENT_LENGTH: absent or empty is no body; otherwise 1*DIGIT not
 *      above 2^63-1 (RSP_EBADREQ), not above max_body (RSP_ELIMIT); these
 *      are judged before anything is read or allocated;
 *   4. the body, whatever its type, when one is declared: it is read now,
 *      exactly CONTENT_LENGTH bytes; less input is RSP_EBADREQ, a read
 *      error RSP_EIO;
 *   5. the form, when CONTENT_LENGTH is present and CONTENT_TYPE is
 *      application/x-www-form-urlencoded or multipart/form-data (any
 *      method): see urlencoded.c and multipart.c.
 * Cookies and Authorization are never judged: invalid cookie crumbs are
 * skipped and a Cookie header over max_cookie is ignored whole;
 * rsp_request_auth reports its own RSP_EINVAL.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* O_TMPFILE, strnlen */
#endif
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define DEF_MAX_BODY       ((size_t)16 << 20)
#define DEF_MAX_QUERY      ((size_t)64 << 10)
#define DEF_MAX_PARAMS     1000
#define DEF_MAX_PARTS      1000
#define DEF_MAX_PART_HDR   ((size_t)8 << 10)
#define DEF_MAX_BOUNDARY   70
#define DEF_MAX_COOKIE     ((size_t)8 << 10)
#define DEF_SPILL          ((size_t)1 << 20)
#define READ_CHUNK         ((size_t)64 << 10)
#define READ_MAX           ((size_t)1 << 30)

enum body_src { SRC_NONE, SRC_FD, SRC_READER, SRC_MEM };
/* Variables the library itself reads, found in one pass over envp. */
enum known {
	V_METHOD = RSP__V_METHOD, V_PROTO = RSP__V_PROTO,
	V_SCRIPT = RSP__V_SCRIPT, V_SCRIPT_FILE = RSP__V_SCRIPT_FILE,
	V_QUERY, V_CLEN, V_CTYPE, V_COOKIE, V_AUTH, V_N
};
enum form_kind { FORM_NONE, FORM_URLENCODED, FORM_MULTIPART };

struct rsp_request {
	struct rsp__arena arena;
	struct rsp_limits lim;          /* resolved: no zero field */

	char *const *envp;              /* never NULL */
	size_t nenv;                    /* entries, or ENV_UNCOUNTED */
	bool env_owned;                 /* envp lives as long as the request */
	const char **handed;            /* !env_owned: per-entry value copies */

	enum body_src src;
	int fd;
	rsp__read_fn read;
	void *rctx;
	unsigned char *mem;             /* from_memory: malloc'd copy */
	size_t mem_len, mem_pos;

	const char *method;
	const void *route;              /* the router's match, while dispatching */

	size_t scanned;                 /* envp entries indexed into kv so far */
	const char *kv[V_N];

	bool cl_done;
	int cl_err;
	bool declared;                  /* CONTENT_LENGTH present, non-empty */
	uint64_t clen;

	bool query_done;
	int query_err;
	struct rsp__pairs query;

	bool cookie_done;
	struct rsp__pairs cookies;

	bool hdr_done;
	struct rsp__pairs headers;
	bool par_done;
	struct rsp__pairs params;

	bool auth_done;
	int auth_err;
	const char *user, *pass;

	bool body_done;
	int body_err;
	const unsigned char *body;
	size_t body_len;
	unsigned char *heap;            /* malloc'd body */
	void *map;                      /* mapped body */
	size_t map_len;

	bool form_done;
	int form_err;
	struct rsp__pairs form;         /* urlencoded */
	struct rsp__multipart mp;       /* multipart */

	/* Why each judged part failed (static strings or the buffers below),
	 * and the reason of the worst failure rsp_request_status found. */
	const char *query_why, *cl_why, *body_why, *form_why, *why;
	bool query_long;                /* the query is over max_query: 414 */
	int worst;                      /* enum stage of the worst failure */
	char query_msg[64], cl_msg[80], body_msg[64];

	/* Held while a const getter fills a cache (the environment index,
	 * copied values, the method, parameter, header, query and cookie
	 * lists, credentials); a filled cache is published with a release
	 * store of its pointer or done flag and read with an acquire load, so
	 * concurrent readers take the lock only on a miss. */
	pthread_mutex_t lock;
};

enum stage { ST_NONE, ST_METHOD, ST_QUERY, ST_BODY, ST_FORM };

static const char *const empty_env[] = { NULL };

#define ENV_UNCOUNTED SIZE_MAX

/* The number of environment entries (most requests never need it). */
static size_t env_count(const rsp_request *creq)
{
	rsp_request *req = (rsp_request *)(uintptr_t)creq;
	if (req->nenv == ENV_UNCOUNTED) {
		req->nenv = 0;
		while (req->envp[req->nenv] != NULL)
			req->nenv++;
	}
	return req->nenv;
}

/* ---------------------------------------------------------------- */
/* Limits                                                            */

static size_t parse_size(const char *s)
{
	size_t v = 0;
	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		size_t d = (size_t)(*s - '0');
		if (v > (SIZE_MAX - d) / 10)
			return 0;
		v = v * 10 + d;
	}
	unsigned shift = 0;
	switch (*s) {
	case 'k': case 'K': shift = 10; s++; break;
	case 'm': case 'M': shift = 20; s++; break;
	case 'g': case 'G': shift = 30; s++; break;
	default: break;
	}
	if (*s != '\0' || v > (SIZE_MAX >> shift))
		return 0;
	return v << shift;
}

void rsp__limits_resolve(struct rsp_limits *out, const struct rsp_limits *in)
{
	static const struct rsp_limits zero;
	*out = in != NULL ? *in : zero;
	if (out->max_body == 0)
		out->max_body = parse_size(getenv("RSP_MAX_BODY"));
	if (out->max_body == 0)
		out->max_body = DEF_MAX_BODY;
	if (out->max_query == 0)
		out->max_query = DEF_MAX_QUERY;
	if (out->max_params == 0)
		out->max_params = DEF_MAX_PARAMS;
	if (out->max_parts == 0)
		out->max_parts = DEF_MAX_PARTS;
	if (out->max_part_header == 0)
		out->max_part_header = DEF_MAX_PART_HDR;
	if (out->max_boundary == 0)
		out->max_boundary = DEF_MAX_BOUNDARY;
	if (out->max_cookie == 0)
		out->max_cookie = DEF_MAX_COOKIE;
	if (out->spill_threshold == 0)
		out->spill_threshold = DEF_SPILL;
}

/* ---------------------------------------------------------------- */
/* Construction, reset, detach, free                                 */

static void release(rsp_request *req)
{
	free(req->heap);
	req->heap = NULL;
	if (req->map != NULL)
		munmap(req->map, req->map_len);
	req->map = NULL;
	free(req->mem);
	req->mem = NULL;
}

static void init(rsp_request *req, const struct rsp_limits *lim)
{
	struct rsp__arena a = req->arena;
	/* The reason buffers at the end are written before they are read. */
	memset(req, 0, offsetof(struct rsp_request, query_msg));
	req->lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	req->arena = a;
	req->fd = -1;
	req->envp = (char *const *)empty_env;
	req->env_owned = true;
	rsp__limits_resolve(&req->lim, lim);
}

static rsp_request *req_alloc(const struct rsp_limits *lim)
{
	rsp_request *req = malloc(sizeof(*req));
	if (req == NULL)
		return NULL;
	rsp__arena_init(&req->arena);
	init(req, lim);
	return req;
}

/* Copy an environment array into the arena (entries without '=' dropped). */
static int env_copy(rsp_request *req, char *const *envp)
{
	size_t n = 0, bytes = 0;
	for (size_t i = 0; envp != NULL && envp[i] != NULL; i++) {
		if (strchr(envp[i], '=') == NULL)
			continue;
		n++;
		bytes += strlen(envp[i]) + 1;
	}
	if (n == 0) {
		req->envp = (char *const *)empty_env;
		req->nenv = 0;
		req->env_owned = true;
		return RSP_OK;
	}
	char **v = rsp__arena_alloc(&req->arena, (n + 1) * sizeof(*v));
	char *s = rsp__arena_alloc(&req->arena, bytes);
	if (v == NULL || s == NULL)
		return RSP_ENOMEM;
	size_t k = 0;
	for (size_t i = 0; envp[i] != NULL; i++) {
		if (strchr(envp[i], '=') == NULL)
			continue;
		size_t l = strlen(envp[i]) + 1;
		memcpy(s, envp[i], l);
		v[k++] = s;
		s += l;
	}
	v[k] = NULL;
	req->envp = v;
	req->nenv = n;
	req->env_owned = true;
	return RSP_OK;
}

rsp_request *rsp_request_new_with(char *const *envp, int body_fd,
    const struct rsp_limits *lim)
{
	rsp_request *req = req_alloc(lim);
	if (req == NULL)
		return NULL;
	if (env_copy(req, envp) != RSP_OK) {
		rsp_request_free(req);
		return NULL;
	}
	if (body_fd >= 0) {
		req->src = SRC_FD;
		req->fd = body_fd;
	}
	return req;
}

rsp_request *rsp_request_new(char *const *envp, int body_fd)
{
	return rsp_request_new_with(envp, body_fd, NULL);
}

rsp_request *rsp_request_from_memory_with(char *const *envp, const void *body,
    size_t len, const struct rsp_limits *lim)
{
	rsp_request *req = req_alloc(lim);
	if (req == NULL)
		return NULL;
	if (env_copy(req, envp) != RSP_OK)
		goto fail;
	req->src = SRC_MEM;
	if (len > 0 && body != NULL) {
		if ((req->mem = malloc(len)) == NULL)
			goto fail;
		memcpy(req->mem, body, len);
		req->mem_len = len;
	}
	return req;
fail:
	rsp_request_free(req);
	return NULL;
}

rsp_request *rsp_request_from_memory(char *const *envp, const void *body, size_t len)
{
	return rsp_request_from_memory_with(envp, body, len, NULL);
}

static void set_reader(rsp_request *req, char *const *envp, rsp__read_fn read,
    void *ctx)
{
	if (envp != NULL) {
		req->envp = envp;
		req->env_owned = false;
		req->nenv = ENV_UNCOUNTED;  /* counted when first needed */
	}
	if (read != NULL) {
		req->src = SRC_READER;
		req->read = read;
		req->rctx = ctx;
	}
}

rsp_request *rsp__request_new_reader(char *const *envp, rsp__read_fn read,
    void *ctx, const struct rsp_limits *lim)
{
	rsp_request *req = req_alloc(lim);
	if (req == NULL)
		return NULL;
	set_reader(req, envp, read, ctx);
	return req;
}

rsp_request *rsp__request_new_env(char *const *envp, int body_fd,
    const struct rsp_limits *lim)
{
	rsp_request *req = req_alloc(lim);
	if (req == NULL)
		return NULL;
	size_t n = 0;
	while (envp != NULL && envp[n] != NULL)
		n++;
	if (n > 0) {
		/* The array may be reallocated by a setenv in the handler; the
		 * strings themselves stay (glibc never frees them). */
		char **v = rsp__arena_alloc(&req->arena, (n + 1) * sizeof(*v));
		if (v == NULL) {
			rsp_request_free(req);
			return NULL;
		}
		memcpy(v, envp, (n + 1) * sizeof(*v));
		set_reader(req, v, NULL, NULL);
	}
	if (body_fd >= 0) {
		req->src = SRC_FD;
		req->fd = body_fd;
	}
	return req;
}

void rsp__request_reset(rsp_request *req, char *const *envp, rsp__read_fn read,
    void *ctx, const struct rsp_limits *lim)
{
	release(req);
	rsp__arena_reset(&req->arena);
	init(req, lim);
	set_reader(req, envp, read, ctx);
}

static int body_load(rsp_request *req);

int rsp__request_detach(rsp_request *req)
{
	if (req == NULL)
		return RSP_OK;
	(void)body_load(req);           /* errors stay for rsp_request_status */
	req->src = SRC_NONE;
	req->read = NULL;
	req->rctx = NULL;
	if (!req->env_owned) {
		/* the index points into the old array */
		req->scanned = 0;
		memset(req->kv, 0, sizeof(req->kv));
		if (env_copy(req, req->envp) != RSP_OK) {
			req->envp = (char *const *)empty_env;
			req->nenv = 0;
			req->env_owned = true;
			return RSP_ENOMEM;
		}
	}
	return RSP_OK;
}

void rsp_request_free(rsp_request *req)
{
	if (req == NULL)
		return;
	release(req);
	rsp__arena_free(&req->arena);
	pthread_mutex_destroy(&req->lock);
	free(req);
}

/* ---------------------------------------------------------------- */
/* Variables and headers                                             */

/* Does s start with the n bytes of lit?  (Stops at the first mismatch,
 * so never reads past the end of s.) */
static inline bool starts(const char *s, const char *lit, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != lit[i])
			return false;
	return true;
}

/* The request is always allocated writable; the const in the public
 * signatures only promises that what it means does not change. */
static inline rsp_request *mut(const rsp_request *req)
{
	return (rsp_request *)(uintptr_t)req;
}

#define LOAD(p)     __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

static inline void lock(const rsp_request *req)
{
	pthread_mutex_lock(&mut(req)->lock);
}

static inline void unlock(const rsp_request *req)
{
	pthread_mutex_unlock(&mut(req)->lock);
}

static const char *env_find(const rsp_request *req, const char *name,
    size_t nlen, size_t *idx)
{
	char *const *e = req->envp;
	for (size_t i = 0; e[i] != NULL; i++) {
		if (starts(e[i], name, nlen) && e[i][nlen] == '=') {
			*idx = i;
			return e[i] + nlen + 1;
		}
	}
	return NULL;
}

/* A value about to be handed out: request-owned whatever the environment
 * (the lock is held). */
static const char *hand_out_locked(rsp_request *req, size_t idx, const char *v)
{
	if (req->env_owned || v == NULL)
		return v;
	if (req->handed == NULL) {
		const char **h = rsp__arena_alloc(&req->arena,
		    env_count(req) * sizeof(*req->handed));
		if (h == NULL)
			return NULL;
		memset(h, 0, req->nenv * sizeof(*h));
		STORE(&req->handed, h);
	}
	if (req->handed[idx] == NULL)
		STORE(&req->handed[idx],
		    (const char *)rsp__arena_strndup(&req->arena, v, strlen(v)));
	return req->handed[idx];
}

static const char *hand_out(const rsp_request *creq, size_t idx, const char *v)
{
	rsp_request *req = mut(creq);
	if (req->env_owned || v == NULL)
		return v;
	const char **h = LOAD(&req->handed);
	const char *c = h != NULL ? LOAD(&h[idx]) : NULL;
	if (c != NULL)
		return c;
	lock(req);
	c = hand_out_locked(req, idx, v);
	unlock(req);
	return c;
}

/* Is the name of length n (already measured, so the bytes exist) lit? */
#define NAME_IS(e, n, lit) ((n) == sizeof(lit) - 1 && memcmp((e), lit, sizeof(lit) - 1) == 0)

/*
 * Which well-known variable an environment entry sets, or -1.  Most entries
 * are ruled out by their first byte; the others are measured up to '=' so
 * that the comparisons are fixed-size memcmp calls the compiler inlines.
 */
static int known_of(const char *e)
{
	switch (e[0]) {
	case 'R': case 'Q': case 'C': case 'H': case 'S':
		break;
	default:
		return -1;
	}
	const char *eq = strchr(e, '=');
	if (eq == NULL)
		return -1;
	size_t n = (size_t)(eq - e);
	switch (e[0]) {
	case 'R':
		return NAME_IS(e, n, "REQUEST_METHOD") ? V_METHOD : -1;
	case 'Q':
		return NAME_IS(e, n, "QUERY_STRING") ? V_QUERY : -1;
	case 'C':
		if (NAME_IS(e, n, "CONTENT_LENGTH"))
			return V_CLEN;
		return NAME_IS(e, n, "CONTENT_TYPE") ? V_CTYPE : -1;
	case 'H':
		if (NAME_IS(e, n, "HTTP_COOKIE"))
			return V_COOKIE;
		return NAME_IS(e, n, "HTTP_AUTHORIZATION") ? V_AUTH : -1;
	default: /* 'S' */
		if (NAME_IS(e, n, "SERVER_PROTOCOL"))
			return V_PROTO;
		if (NAME_IS(e, n, "SCRIPT_NAME"))
			return V_SCRIPT;
		return NAME_IS(e, n, "SCRIPT_FILENAME") ? V_SCRIPT_FILE : -1;
	}
}

/*
 * The value of a well-known variable (not handed out: internal use).  One
 * pass over envp indexes every well-known variable it meets, and stops as
 * soon as the one asked for is found; the next call resumes where it
 * stopped.  So each entry is looked at once at most, and a FastCGI request
 * (nginx sends the CGI variables before the HTTP_* headers) is answered
 * without scanning its headers unless a cookie or credentials are asked for.
 */
static const char *env_scan(rsp_request *req, enum known k)
{
	/* "NAME=" lengths, in enum known order */
	static const unsigned char skip[V_N] = {
		[V_METHOD] = 15, [V_PROTO] = 16, [V_SCRIPT] = 12,
		[V_SCRIPT_FILE] = 16, [V_QUERY] = 13, [V_CLEN] = 15,
		[V_CTYPE] = 13, [V_COOKIE] = 12, [V_AUTH] = 19,
	};
	char *const *envp = req->envp;
	size_t at = req->scanned;
	const char *e;
	while ((e = envp[at]) != NULL) {
		at++;
		int i = known_of(e);
		if (i >= 0 && req->kv[i] == NULL) {
			STORE(&req->kv[i], e + skip[i]);
			if (i == (int)k)
				break;
		}
	}
	STORE(&req->scanned, at);
	return req->kv[k];
}

static inline const char *env_get(const rsp_request *creq, enum known k)
{
	rsp_request *req = mut(creq);
	const char *v = LOAD(&req->kv[k]);
	if (v != NULL)
		return v;
	if (req->envp[LOAD(&req->scanned)] == NULL)
		return LOAD(&req->kv[k]);      /* all indexed: absent */
	lock(req);
	v = env_scan(req, k);
	unlock(req);
	return v;
}

const char *rsp__request_var(const rsp_request *req, enum rsp__var v)
{
	return req != NULL ? env_get(req, (enum known)v) : NULL;
}

const char *rsp_request_param(const rsp_request *req, const char *name)
{
	size_t idx = 0, nlen;
	if (req == NULL || name == NULL || (nlen = strlen(name)) == 0 ||
	    memchr(name, '=', nlen) != NULL)
		return NULL;
	const char *v = env_find(req, name, nlen, &idx);
	return hand_out(req, idx, v);
}

const char *rsp_request_method(const rsp_request *req)
{
	if (req == NULL)
		return "GET";
	const char *m = LOAD(&req->method);
	if (m != NULL)
		return m;
	lock(req);
	if ((m = req->method) == NULL) {
		size_t idx;
		m = env_find(req, "REQUEST_METHOD", 14, &idx);
		/* Empty is unset, as for every meta-variable (RFC 3875 4.1). */
		m = m != NULL && *m != '\0' ? hand_out_locked(mut(req), idx, m) : "GET";
		if (m != NULL)
			STORE(&mut(req)->method, m);
	}
	unlock(req);
	return m != NULL ? m : "GET";
}

static inline unsigned char upper(unsigned char c)
{
	return (c >= 'a' && c <= 'z') ? (unsigned char)(c - 0x20) : c;
}

const char *rsp_request_header(const rsp_request *req, const char *name)
{
	size_t nlen, idx = 0;
	const char *v = NULL;

	if (req == NULL || name == NULL || !rsp__is_token(name, nlen = strlen(name)))
		return NULL;
	if (rsp__ieq(name, "Content-Type") || rsp__ieq(name, "Content-Length")) {
		bool type = nlen == 12;
		v = env_find(req, type ? "CONTENT_TYPE" : "CONTENT_LENGTH", type ? 12 : 14, &idx);
		if (v != NULL && *v == '\0')
			v = NULL;
	} else {
		char *const *e = req->envp;
		for (size_t i = 0; e[i] != NULL && v == NULL; i++) {
			const char *s = e[i];
			if (!starts(s, "HTTP_", 5))
				continue;
			s += 5;
			size_t j = 0;
			for (; j < nlen; j++) {
				unsigned char c = upper((unsigned char)name[j]);
				if (c == '-')
					c = '_';
				if ((unsigned char)s[j] != c)
					break;
			}
			if (j == nlen && s[nlen] == '=') {
				v = s + nlen + 1;
				idx = i;
			}
		}
	}
	return hand_out(req, idx, v);
}

/* Grow-free list building: count first, then fill. */
static bool list_next(const struct rsp__pairs *l, size_t *pos,
    const char **name, const char **value)
{
	if (pos == NULL || *pos >= l->n)
		return false;
	if (name != NULL)
		*name = l->v[*pos].name;
	if (value != NULL)
		*value = l->v[*pos].value;
	(*pos)++;
	return true;
}

static void build_params(rsp_request *req)
{
	struct rsp__pair *v;
	if (env_count(req) == 0 ||
	    (v = rsp__arena_alloc(&req->arena, req->nenv * sizeof(*v))) == NULL)
		return;
	size_t n = 0;
	for (size_t i = 0; i < req->nenv; i++) {
		const char *e = req->envp[i], *eq = strchr(e, '=');
		if (eq == NULL)
			continue;
		v[n].nlen = (size_t)(eq - e);
		v[n].name = rsp__arena_strndup(&req->arena, e, v[n].nlen);
		v[n].value = hand_out_locked(req, i, eq + 1);
		if (v[n].name == NULL || v[n].value == NULL)
			return;
		v[n].vlen = strlen(v[n].value);
		n++;
	}
	req->params.v = v;
	req->params.n = n;
}

bool rsp_request_param_next(const rsp_request *req, size_t *pos,
    const char **name, const char **value)
{
	if (req == NULL)
		return false;
	if (!LOAD(&req->par_done)) {
		lock(req);
		if (!req->par_done) {
			build_params(mut(req));
			STORE(&mut(req)->par_done, true);
		}
		unlock(req);
	}
	return list_next(&req->params, pos, name, value);
}

static void build_headers(rsp_request *req)
{
	struct rsp__pair *v;
	if (env_count(req) == 0 ||
	    (v = rsp__arena_alloc(&req->arena, req->nenv * sizeof(*v))) == NULL)
		return;
	size_t n = 0;
	for (size_t i = 0; i < req->nenv; i++) {
		const char *e = req->envp[i], *eq = strchr(e, '='), *nb;
		if (eq == NULL)
			continue;
		bool content = (eq - e == 12 && strncmp(e, "CONTENT_TYPE", 12) == 0) ||
		    (eq - e == 14 && strncmp(e, "CONTENT_LENGTH", 14) == 0);
		/* CONTENT_* speak for the body (an empty one is unset, RFC 3875
		 * §4.1); a server's HTTP_CONTENT_* copies would list them twice. */
		if (content && eq[1] != '\0')
			nb = e;
		else if (!content && strncmp(e, "HTTP_", 5) == 0 && eq > e + 5 &&
		    strncmp(e, "HTTP_CONTENT_TYPE=", 18) != 0 &&
		    strncmp(e, "HTTP_CONTENT_LENGTH=", 20) != 0)
			nb = e + 5;
		else
			continue;
		size_t nl = (size_t)(eq - nb);
		char *name = rsp__arena_alloc(&req->arena, nl + 1);
		if (name == NULL)
			return;
		for (size_t j = 0; j < nl; j++) {
			unsigned char c = (unsigned char)nb[j];
			if (c == '_')
				c = '-';
			else if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 0x20);
			name[j] = (char)c;
		}
		name[nl] = '\0';
		v[n].name = name;
		v[n].nlen = nl;
		if ((v[n].value = hand_out_locked(req, i, eq + 1)) == NULL)
			return;
		v[n].vlen = strlen(v[n].value);
		n++;
	}
	req->headers.v = v;
	req->headers.n = n;
}

bool rsp_request_header_next(const rsp_request *req, size_t *pos,
    const char **name, const char **value)
{
	if (req == NULL)
		return false;
	if (!LOAD(&req->hdr_done)) {
		lock(req);
		if (!req->hdr_done) {
			build_headers(mut(req));
			STORE(&mut(req)->hdr_done, true);
		}
		unlock(req);
	}
	return list_next(&req->headers, pos, name, value);
}

/* ---------------------------------------------------------------- */
/* Query string and cookies                                          */

static const struct rsp__pair *pairs_find(const struct rsp__pairs *l,
    const char *name, size_t *from)
{
	size_t nlen = strlen(name);
	for (size_t i = from ? *from : 0; i < l->n; i++) {
		if (l->v[i].nlen == nlen && memcmp(l->v[i].name, name, nlen) == 0) {
			if (from != NULL)
				*from = i + 1;
			return &l->v[i];
		}
	}
	return NULL;
}

static size_t pairs_all(const struct rsp__pairs *l, const char *name,
    const char **values, size_t max)
{
	size_t from = 0, n = 0;
	const struct rsp__pair *p;
	if (name == NULL)
		return 0;
	while ((p = pairs_find(l, name, &from)) != NULL) {
		if (values != NULL && n < max)
			values[n] = p->value;
		n++;
	}
	return n;
}

/* The reason for a query verdict rc (not RSP_OK) on len bytes. */
static void query_reason(rsp_request *req, int rc, size_t len)
{
	req->query_long = len > req->lim.max_query;
	if (req->query_long)
		snprintf(req->query_msg, sizeof(req->query_msg),
		    "query over max_query (%zu bytes)", req->lim.max_query);
	else if (rc == RSP_ELIMIT)
		snprintf(req->query_msg, sizeof(req->query_msg),
		    "query has more than max_params (%zu) pairs", req->lim.max_params);
	else if (rc == RSP_EBADREQ)
		snprintf(req->query_msg, sizeof(req->query_msg),
		    "query holds a NUL byte (%%00)");
	else
		snprintf(req->query_msg, sizeof(req->query_msg), "out of memory");
	req->query_why = req->query_msg;
}

static int query_parse(rsp_request *req, const char *q);

static int query_load(const rsp_request *creq)
{
	rsp_request *req = mut(creq);
	if (LOAD(&req->query_done))
		return req->query_err;
	const char *q = env_get(req, V_QUERY);
	if (q == NULL || *q == '\0')
		return RSP_OK;                  /* the usual case: nothing to parse */
	lock(req);
	if (!req->query_done) {
		query_parse(req, q);
		STORE(&req->query_done, true);
	}
	unlock(req);
	return req->query_err;
}

/* Parse the query q into req->query (the lock is held). */
static int query_parse(rsp_request *req, const char *q)
{
	size_t len = strnlen(q, req->lim.max_query + 1);
	int rc = len > req->lim.max_query ? RSP_ELIMIT :
	    rsp__urlencoded_parse(&req->arena, q, len, req->lim.max_params,
	        &req->query);
	if (rc != RSP_OK) {
		req->query.v = NULL;
		req->query.n = 0;
		query_reason(req, rc, len);
	}
	return req->query_err = rc;
}

/*
 * The query's verdict without building its pairs (rsp_request_status asks
 * before the handler runs; most handlers never read the query): the length,
 * then what rsp__urlencoded_parse would say.
 */
static int query_judge(const rsp_request *creq)
{
	rsp_request *req = mut(creq);
	if (LOAD(&req->query_done))
		return req->query_err;
	const char *q = env_get(req, V_QUERY);
	if (q == NULL || *q == '\0')
		return RSP_OK;
	size_t len = strnlen(q, req->lim.max_query + 1);
	int rc = len > req->lim.max_query ? RSP_ELIMIT :
	    rsp__urlencoded_judge(q, len, req->lim.max_params);
	if (rc != RSP_OK)
		query_reason(req, rc, len);
	return rc;
}

const char *rsp_request_query(const rsp_request *req, const char *name)
{
	const struct rsp__pair *p;
	if (req == NULL || name == NULL || query_load(req) != RSP_OK)
		return NULL;
	p = pairs_find(&req->query, name, NULL);
	return p != NULL ? p->value : NULL;
}

size_t rsp_request_query_all(const rsp_request *req, const char *name,
    const char **values, size_t max)
{
	if (req == NULL || query_load(req) != RSP_OK)
		return 0;
	return pairs_all(&req->query, name, values, max);
}

bool rsp_request_query_next(const rsp_request *req, size_t *pos,
    const char **name, const char **value)
{
	if (req == NULL || query_load(req) != RSP_OK)
		return false;
	return list_next(&req->query, pos, name, value);
}

static void cookie_load(const rsp_request *creq)
{
	rsp_request *req = mut(creq);
	if (LOAD(&req->cookie_done))
		return;
	const char *c = env_get(req, V_COOKIE);
	lock(req);
	if (!req->cookie_done && c != NULL) {
		size_t len = strnlen(c, req->lim.max_cookie + 1);
		if (len <= req->lim.max_cookie &&
		    rsp__cookie_parse(&req->arena, c, len, &req->cookies) != RSP_OK) {
			req->cookies.v = NULL;
			req->cookies.n = 0;
		}
	}
	STORE(&req->cookie_done, true);
	unlock(req);
}

const char *rsp_request_cookie(const rsp_request *req, const char *name)
{
	const struct rsp__pair *p;
	if (req == NULL || name == NULL)
		return NULL;
	cookie_load(req);
	p = pairs_find(&req->cookies, name, NULL);
	return p != NULL ? p->value : NULL;
}

bool rsp_request_cookie_next(const rsp_request *req, size_t *pos,
    const char **name, const char **value)
{
	if (req == NULL)
		return false;
	cookie_load(req);
	return list_next(&req->cookies, pos, name, value);
}

/* ---------------------------------------------------------------- */
/* Method and CONTENT_LENGTH                                         */

static int method_check(const rsp_request *req)
{
	const char *m = env_get(req, V_METHOD);
	if (m != NULL && *m != '\0' && !rsp__is_token(m, strlen(m)))
		return RSP_EBADREQ;
	return RSP_OK;
}

static int cl_check(rsp_request *req)
{
	if (req->cl_done)
		return req->cl_err;
	req->cl_done = true;
	const char *s = env_get(req, V_CLEN);
	if (s == NULL || *s == '\0')
		return req->cl_err = RSP_OK;
	uint64_t v = 0;
	for (; *s != '\0'; s++) {
		uint64_t d = (uint64_t)(*s - '0');
		if (*s < '0' || *s > '9' || v > ((uint64_t)INT64_MAX - d) / 10) {
			req->cl_why = "CONTENT_LENGTH is not 1*DIGIT below 2^63";
			return req->cl_err = RSP_EBADREQ;
		}
		v = v * 10 + d;
	}
	req->declared = true;
	req->clen = v;
	if (v > req->lim.max_body) {
		snprintf(req->cl_msg, sizeof(req->cl_msg), "CONTENT_LENGTH %llu "
		    "over max_body (%zu bytes)", (unsigned long long)v,
		    req->lim.max_body);
		req->cl_why = req->cl_msg;
		return req->cl_err = RSP_ELIMIT;
	}
	return req->cl_err = RSP_OK;
}

/* ---------------------------------------------------------------- */
/* The body                                                          */

/* Bytes read (> 0), 0 at the end of the input, < 0 on error. */
static ptrdiff_t read_some(rsp_request *req, unsigned char *buf, size_t n)
{
	switch (req->src) {
	case SRC_FD:
		for (;;) {
			ssize_t r = read(req->fd, buf, n);
			if (r < 0 && errno == EINTR)
				continue;
			return r;
		}
	case SRC_READER: {
		if (n > READ_MAX)
			n = READ_MAX;
		int r = req->read(req->rctx, buf, n);
		if (r > 0 && (size_t)r > n)
			return -1;
		return r;
	}
	case SRC_MEM: {
		size_t left = req->mem_len - req->mem_pos;
		if (n > left)
			n = left;
		if (n > 0)
			memcpy(buf, req->mem + req->mem_pos, n);
		req->mem_pos += n;
		return (ptrdiff_t)n;
	}
	case SRC_NONE:
	default:
		return 0;
	}
}

/* The reason for a body that could not be read whole (got bytes of it). */
static int body_fail(rsp_request *req, int rc, uint64_t got)
{
	if (rc == RSP_EBADREQ)
		snprintf(req->body_msg, sizeof(req->body_msg), "body ended after "
		    "%llu of %llu bytes", (unsigned long long)got,
		    (unsigned long long)req->clen);
	else
		snprintf(req->body_msg, sizeof(req->body_msg), "%s after %llu of "
		    "%llu body bytes", rc == RSP_EIO ? "read error" : "out of memory",
		    (unsigned long long)got, (unsigned long long)req->clen);
	req->body_why = req->body_msg;
	return rc;
}

/* Exactly n bytes, or RSP_EBADREQ (input ended early) or RSP_EIO. */
static int read_full(rsp_request *req, unsigned char *buf, size_t n)
{
	size_t want = n;
	while (n > 0) {
		ptrdiff_t r = read_some(req, buf, n > READ_MAX ? READ_MAX : n);
		if (r <= 0)
			return body_fail(req, r == 0 ? RSP_EBADREQ : RSP_EIO, want - n);
		buf += r;
		n -= (size_t)r;
	}
	return RSP_OK;
}

static int tmpfile_open(void)
{
	const char *dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
#ifdef O_TMPFILE
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	static const char tail[] = "/respond-XXXXXX";
	size_t dl = strlen(dir);
	char *path = malloc(dl + sizeof(tail));
	if (path == NULL)
		return -1;
	snprintf(path, dl + sizeof(tail), "%s%s", dir, tail);
	int tfd = mkstemp(path);
	if (tfd >= 0) {
		unlink(path);
		(void)fcntl(tfd, F_SETFD, FD_CLOEXEC);
	}
	free(path);
	return tfd;
}

/* A large body: copied to an unlinked temporary file, then mapped. */
static int load_spill(rsp_request *req, size_t len)
{
	unsigned char *buf = malloc(READ_CHUNK);
	int fd = tmpfile_open(), rc = RSP_OK;
	if (buf == NULL || fd < 0) {
		rc = buf == NULL ? RSP_ENOMEM : RSP_EIO;
		req->body_why = buf == NULL ? "out of memory" :
		    "no temporary file for a large body (TMPDIR)";
		goto out;
	}
	for (size_t left = len; left > 0;) {
		ptrdiff_t r = read_some(req, buf, left < READ_CHUNK ? left : READ_CHUNK);
		if (r <= 0) {
			rc = body_fail(req, r == 0 ? RSP_EBADREQ : RSP_EIO, len - left);
			goto out;
		}
		if ((rc = rsp__write_all(fd, buf, (size_t)r)) != RSP_OK) {
			req->body_why = "writing the body to a temporary file failed";
			goto out;
		}
		left -= (size_t)r;
	}
	void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED) {
		rc = RSP_ENOMEM;
		req->body_why = "mapping the body's temporary file failed";
		goto out;
	}
	req->map = m;
	req->map_len = len;
	req->body = m;
	req->body_len = len;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

static int body_load(rsp_request *req)
{
	if (req->body_done)
		return req->body_err;
	req->body_done = true;

	int rc = cl_check(req);
	if (rc != RSP_OK)
		req->body_why = req->cl_why;
	if (rc == RSP_OK && req->declared && req->clen > 0) {
		size_t len = (size_t)req->clen;
		if (len > req->lim.spill_threshold) {
			rc = load_spill(req, len);
		} else if ((req->heap = malloc(len + 1)) == NULL) {
			rc = RSP_ENOMEM;
			req->body_why = "out of memory for the body";
		} else if ((rc = read_full(req, req->heap, len)) == RSP_OK) {
			req->heap[len] = '\0';
			req->body = req->heap;
			req->body_len = len;
		}
		if (rc != RSP_OK)
			release(req);
	}
	/* The source is done with: never read past CONTENT_LENGTH. */
	req->src = SRC_NONE;
	free(req->mem);
	req->mem = NULL;
	if (rc != RSP_OK) {
		req->body = NULL;
		req->body_len = 0;
	} else if (req->body == NULL) {
		req->body = (const unsigned char *)"";
	}
	return req->body_err = rc;
}

int rsp_request_body(rsp_request *req, const void **data, size_t *len)
{
	int rc = req != NULL ? body_load(req) : RSP_OK;
	if (rc != RSP_OK)
		req->why = req->body_why;
	if (data != NULL)
		*data = rc == RSP_OK ? (req != NULL ? (const void *)req->body : "") : NULL;
	if (len != NULL)
		*len = rc == RSP_OK && req != NULL ? req->body_len : 0;
	return rc;
}

/* ---------------------------------------------------------------- */
/* Forms                                                             */

static const char *form_reason(enum form_kind kind, int rc)
{
	if (rc == RSP_ENOMEM)
		return "out of memory parsing the form";
	if (kind == FORM_URLENCODED)
		return rc == RSP_ELIMIT ? "urlencoded form has more than max_params "
		    "pairs" : "urlencoded form holds a NUL byte (%00)";
	return rc == RSP_ELIMIT ? "multipart form over max_parts or "
	    "max_part_header" : "multipart form body is malformed";
}

static int form_load(rsp_request *req)
{
	if (req->form_done)
		return req->form_err;
	req->form_done = true;

	int rc = cl_check(req);
	const char *ct = env_get(req, V_CTYPE);
	if (ct == NULL || (rc == RSP_OK && !req->declared))
		return req->form_err = RSP_OK;
	req->form_why = req->cl_why;
	size_t ctlen = strlen(ct);
	const char *bnd = NULL;
	size_t blen = 0;
	enum form_kind kind = FORM_NONE;

	if (rsp__media_type_is(ct, ctlen, "application/x-www-form-urlencoded")) {
		kind = FORM_URLENCODED;
	} else if (rsp__media_type_is(ct, ctlen, "multipart/form-data")) {
		kind = FORM_MULTIPART;
		rc = rsp__multipart_boundary(&req->arena, ct, ctlen,
		    req->lim.max_boundary, &bnd, &blen);
		if (rc != RSP_OK) {
			req->form_why = "multipart/form-data without one valid "
			    "boundary parameter";
			return req->form_err = rc;
		}
	}
	if (kind == FORM_NONE)
		return req->form_err = RSP_OK;
	if ((rc = body_load(req)) != RSP_OK) {
		req->form_why = req->body_why;
		return req->form_err = rc;
	}

	if (kind == FORM_URLENCODED)
		rc = rsp__urlencoded_parse(&req->arena, (const char *)req->body,
		    req->body_len, req->lim.max_params, &req->form);
	else
		rc = rsp__multipart_parse(&req->arena, req->body, req->body_len,
		    bnd, blen, &req->lim, &req->mp);
	if (rc != RSP_OK) {
		memset(&req->form, 0, sizeof(req->form));
		memset(&req->mp, 0, sizeof(req->mp));
		req->form_why = form_reason(kind, rc);
	}
	return req->form_err = rc;
}

/* A form getter's check: on failure the reason becomes the request's. */
static bool form_failed(rsp_request *req)
{
	if (form_load(req) == RSP_OK)
		return false;
	req->why = req->form_why;
	return true;
}

const char *rsp_request_form(rsp_request *req, const char *name)
{
	if (req == NULL || name == NULL || form_failed(req))
		return NULL;
	if (req->form.n > 0) {
		const struct rsp__pair *p = pairs_find(&req->form, name, NULL);
		return p != NULL ? p->value : NULL;
	}
	for (size_t i = 0; i < req->mp.n; i++)
		if (req->mp.v[i].value != NULL &&
		    strcmp(req->mp.v[i].up.name, name) == 0)
			return req->mp.v[i].value;
	return NULL;
}

size_t rsp_request_form_all(rsp_request *req, const char *name,
    const char **values, size_t max)
{
	if (req == NULL || name == NULL || form_failed(req))
		return 0;
	if (req->form.n > 0)
		return pairs_all(&req->form, name, values, max);
	size_t n = 0;
	for (size_t i = 0; i < req->mp.n; i++) {
		if (req->mp.v[i].value == NULL || strcmp(req->mp.v[i].up.name, name) != 0)
			continue;
		if (values != NULL && n < max)
			values[n] = req->mp.v[i].value;
		n++;
	}
	return n;
}

bool rsp_request_form_next(rsp_request *req, size_t *pos,
    const char **name, const char **value)
{
	if (req == NULL || pos == NULL || form_failed(req))
		return false;
	if (req->form.n > 0)
		return list_next(&req->form, pos, name, value);
	for (size_t i = *pos; i < req->mp.n; i++) {
		if (req->mp.v[i].value == NULL)
			continue;
		if (name != NULL)
			*name = req->mp.v[i].up.name;
		if (value != NULL)
			*value = req->mp.v[i].value;
		*pos = i + 1;
		return true;
	}
	*pos = req->mp.n;
	return false;
}

const struct rsp_upload *rsp_request_upload(rsp_request *req, const char *name)
{
	if (req == NULL || name == NULL || form_failed(req))
		return NULL;
	for (size_t i = 0; i < req->mp.n; i++)
		if (req->mp.v[i].value == NULL &&
		    strcmp(req->mp.v[i].up.name, name) == 0)
			return &req->mp.v[i].up;
	return NULL;
}

const struct rsp_upload *rsp_request_upload_next(rsp_request *req, size_t *pos)
{
	if (req == NULL || pos == NULL || form_failed(req))
		return NULL;
	for (size_t i = *pos; i < req->mp.n; i++) {
		if (req->mp.v[i].value == NULL) {
			*pos = i + 1;
			return &req->mp.v[i].up;
		}
	}
	*pos = req->mp.n;
	return NULL;
}

/* ---------------------------------------------------------------- */
/* Status                                                            */

static int rank(int err)
{
	switch (err) {
	case RSP_OK:      return 0;
	case RSP_EBADREQ: return 3;
	case RSP_ELIMIT:  return 2;
	default:          return 1;
	}
}

/* Keep the worse of the verdict so far and stage s's rc, with its reason. */
static int judge(rsp_request *req, int st, int rc, enum stage s, const char *why)
{
	if (rank(rc) <= rank(st))
		return st;
	req->worst = s;
	req->why = why != NULL ? why : rsp_strerror(rc);
	return rc;
}

int rsp_request_status(rsp_request *req)
{
	if (req == NULL)
		return RSP_OK;
	req->worst = ST_NONE;
	req->why = NULL;
	int st = judge(req, RSP_OK, method_check(req), ST_METHOD,
	    "REQUEST_METHOD is not an RFC 9110 token");
	int rc = query_judge(req);
	st = judge(req, st, rc, ST_QUERY, req->query_why);
	rc = body_load(req);
	st = judge(req, st, rc, ST_BODY, req->body_why);
	rc = form_load(req);
	return judge(req, st, rc, ST_FORM, req->form_why);
}

const char *rsp_request_errmsg(const rsp_request *req)
{
	if (req == NULL)
		return "no request (NULL)";
	return req->why != NULL ? req->why : "";
}

bool rsp__request_unread_input(rsp_request *req)
{
	int n = 0;
	if (req == NULL || req->fd < 0 || cl_check(req) != RSP_OK || req->declared)
		return false;
	/* One ioctl: /dev/null and closed input answer no; a pipe or a file
	 * says how many bytes are waiting; a terminal is somebody typing. */
	return ioctl(req->fd, FIONREAD, &n) == 0 && n > 0 && !isatty(req->fd);
}

int rsp__request_refusal_status(const rsp_request *req, int st)
{
	switch (st) {
	case RSP_EBADREQ: return 400;
	case RSP_ELIMIT:  return req->worst == ST_QUERY && req->query_long ? 414 : 413;
	case RSP_ENOMEM:  return 500;
	default:          return 400;
	}
}

/* ---------------------------------------------------------------- */
/* HTTP Basic authentication (RFC 7617)                              */

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Strict RFC 4648 base64: the standard alphabet, a length that is a
 * multiple of four, '=' padding only at the end, zero unused bits.
 * Returns the decoded length, or -1.
 */
static ptrdiff_t b64_decode(const unsigned char *s, size_t n, unsigned char *out)
{
	unsigned char *o = out;
	if (n == 0 || n % 4 != 0)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		bool last = i + 4 == n;
		int a = b64val(s[i]), b = b64val(s[i + 1]);
		int c = b64val(s[i + 2]), d = b64val(s[i + 3]);
		if (a < 0 || b < 0)
			return -1;
		*o++ = (unsigned char)(a << 2 | b >> 4);
		if (c < 0) {
			if (!last || s[i + 2] != '=' || s[i + 3] != '=' || (b & 0x0f))
				return -1;
			break;
		}
		*o++ = (unsigned char)((b & 0x0f) << 4 | c >> 2);
		if (d < 0) {
			if (!last || s[i + 3] != '=' || (c & 0x03))
				return -1;
			break;
		}
		*o++ = (unsigned char)((c & 0x03) << 6 | d);
	}
	return o - out;
}

static int auth_load(rsp_request *req, const char *h)
{
	if (h == NULL)
		return RSP_EINVAL;
	while (*h == ' ' || *h == '\t')
		h++;
	/* The scheme, any case, then one or more spaces. */
	static const char scheme[] = "basic";
	for (size_t i = 0; i < 5; i++) {
		unsigned char c = (unsigned char)h[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 0x20);
		if (c != (unsigned char)scheme[i])
			return RSP_EINVAL;
	}
	if (h[5] != ' ')
		return RSP_EINVAL;
	const char *t = h + 5;
	while (*t == ' ')
		t++;
	size_t n = strlen(t);
	while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
		n--;
	unsigned char *dec = rsp__arena_alloc(&req->arena, n / 4 * 3 + 1);
	if (dec == NULL)
		return RSP_ENOMEM;
	ptrdiff_t dl = b64_decode((const unsigned char *)t, n, dec);
	if (dl < 0)
		return RSP_EINVAL;
	unsigned char *colon = memchr(dec, ':', (size_t)dl);
	if (colon == NULL)
		return RSP_EINVAL;
	for (ptrdiff_t i = 0; i < dl; i++)
		if (dec[i] < 0x20 || dec[i] == 0x7f)
			return RSP_EINVAL;
	*colon = '\0';
	dec[dl] = '\0';
	req->user = (const char *)dec;
	req->pass = (const char *)colon + 1;
	return RSP_OK;
}

int rsp_request_auth(const rsp_request *creq, const char **user,
    const char **password)
{
	rsp_request *req = mut(creq);
	int rc = RSP_EINVAL;
	if (req != NULL) {
		if (!LOAD(&req->auth_done)) {
			const char *h = env_get(req, V_AUTH);
			lock(req);
			if (!req->auth_done) {
				req->auth_err = auth_load(req, h);
				STORE(&req->auth_done, true);
			}
			unlock(req);
		}
		rc = req->auth_err;
	}
	if (user != NULL)
		*user = rc == RSP_OK ? req->user : NULL;
	if (password != NULL)
		*password = rc == RSP_OK ? req->pass : NULL;
	return rc;
}

/* The router's per-request match (route.c), set around the handler call. */
void rsp__request_set_route(rsp_request *req, const void *match)
{
	req->route = match;
}

const void *rsp__request_route(const rsp_request *req)
{
	return req != NULL ? req->route : NULL;
}
