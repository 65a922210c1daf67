/*
 * request.c - the request's life (construction, reset, free), its CGI
 * meta-variables (or FastCGI params) and headers, the query string, the
 * cookies, and the verdict rsp_request_status gives before the handler.
 * The body is body.c's, the form form.c's, the credentials auth.c's.
 *
 * Everything else is lazy: constructing a request indexes the well-known
 * variables in one pass over the environment (set_env) and records where the
 * body is.  The query string is parsed on the first query
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
#define _GNU_SOURCE 1 /* strnlen */
#endif
#include "request_int.h"

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define DEF_MAX_BODY ((size_t)16 << 20)
#define DEF_MAX_QUERY ((size_t)64 << 10)
#define DEF_MAX_PARAMS 1000
#define DEF_MAX_PARTS 1000
#define DEF_MAX_PART_HDR ((size_t)8 << 10)
#define DEF_MAX_BOUNDARY 70
#define DEF_MAX_COOKIE ((size_t)8 << 10)
#define DEF_SPILL ((size_t)1 << 20)

static const char *const empty_env[] = { NULL };

/* ---------------------------------------------------------------- */
/* The index of well-known variables                                 */

/* Is the name s[0..n) the literal?  (n first, so no byte past the name is
 * read; then a fixed-size memcmp, which the compiler inlines.) */
#define NAME_IS(lit) \
	(n == sizeof(lit) - 1 && memcmp(s, lit, sizeof(lit) - 1) == 0)

/*
 * Which well-known variable the name s[0..n) is, or -1: by its length, then
 * by its bytes.  Called for every entry of every request's environment, so
 * most names are ruled out by the length or the first 8-byte comparison,
 * and inlined into that loop (a call per entry costs a fifth of it).
 */
static inline __attribute__((always_inline)) int known_name(const char *s,
    size_t n)
{
	switch (n) {
	case 9:
		return NAME_IS("PATH_INFO") ? RSP__V_PATH_INFO : -1;
	case 10:
		return NAME_IS("HTTP_RANGE") ? RSP__V_RANGE : -1;
	case 11: /* the most common length: SERVER_NAME, REMOTE_PORT... */
		if (s[0] == 'S')
			return NAME_IS("SCRIPT_NAME") ? RSP__V_SCRIPT : -1;
		if (s[0] == 'H')
			return NAME_IS("HTTP_COOKIE") ? RSP__V_COOKIE : -1;
		if (NAME_IS("REQUEST_URI"))
			return RSP__V_URI;
		if (NAME_IS("REMOTE_ADDR"))
			return RSP__V_REMOTE_ADDR;
		return NAME_IS("REMOTE_USER") ? RSP__V_REMOTE_USER : -1;
	case 12:
		if (NAME_IS("QUERY_STRING"))
			return RSP__V_QUERY;
		if (NAME_IS("CONTENT_TYPE"))
			return RSP__V_CTYPE;
		return NAME_IS("HTTP_REFERER") ? RSP__V_REFERER : -1;
	case 13:
		if (NAME_IS("HTTP_IF_MATCH"))
			return RSP__V_IF_MATCH;
		return NAME_IS("HTTP_IF_RANGE") ? RSP__V_IF_RANGE : -1;
	case 14:
		if (NAME_IS("REQUEST_METHOD"))
			return RSP__V_METHOD;
		return NAME_IS("CONTENT_LENGTH") ? RSP__V_CLEN : -1;
	case 15:
		if (NAME_IS("SERVER_PROTOCOL"))
			return RSP__V_PROTO;
		if (NAME_IS("SCRIPT_FILENAME"))
			return RSP__V_SCRIPT_FILE;
		return NAME_IS("HTTP_USER_AGENT") ? RSP__V_USER_AGENT : -1;
	case 18:
		if (NAME_IS("HTTP_AUTHORIZATION"))
			return RSP__V_AUTH;
		return NAME_IS("HTTP_IF_NONE_MATCH") ? RSP__V_IF_NONE_MATCH
		                                     : -1;
	case 22:
		return NAME_IS("HTTP_IF_MODIFIED_SINCE")
		    ? RSP__V_IF_MODIFIED_SINCE
		    : -1;
	case 24:
		return NAME_IS("HTTP_IF_UNMODIFIED_SINCE")
		    ? RSP__V_IF_UNMODIFIED_SINCE
		    : -1;
	default:
		return -1;
	}
}

#undef NAME_IS

/* The same for the getters' names (set_env keeps its own copy inline). */
static int known_var(const char *s, size_t n)
{
	return known_name(s, n);
}

/*
 * Take envp as the request's environment and index it in one pass: the
 * first entry of each well-known variable (as a linear search would find
 * it), and the count.  Every later lookup of these variables is a load,
 * whoever asks and however often.  The index must be empty (init, or
 * own_env clears it).
 */
static void set_env(rsp_request *req, char *const *envp, bool owned)
{
	size_t i = 0;
	req->envp = envp;
	req->env_owned = owned;
	for (const char *e; (e = envp[i]) != NULL; i++) {
		const char *eq = strchr(e, '=');
		int k = eq != NULL ? known_name(e, (size_t)(eq - e)) : -1;
		if (k >= 0 && req->var[k] == NULL) {
			req->var[k] = eq + 1;
			req->var_at[k] = i;
		}
	}
	req->nenv = i;
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
	case 'k':
	case 'K':
		shift = 10;
		s++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		s++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		s++;
		break;
	default:
		break;
	}
	if (*s != '\0' || v > (SIZE_MAX >> shift))
		return 0;
	return v << shift;
}

void rsp__limits_resolve_with(struct rsp_limits *out,
    const struct rsp_limits *in, const char *env_max_body)
{
	static const struct rsp_limits zero;
	*out = in != NULL ? *in : zero;
	if (out->max_body == 0)
		out->max_body = parse_size(env_max_body);
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

void rsp__limits_resolve(struct rsp_limits *out, const struct rsp_limits *in)
{
	bool ask = in == NULL || in->max_body == 0;
	rsp__limits_resolve_with(out, in, ask ? getenv("RSP_MAX_BODY") : NULL);
}

/* ---------------------------------------------------------------- */
/* Construction, reset, free                                         */

static void init(rsp_request *req, const struct rsp_limits *lim)
{
	struct rsp__arena a = req->arena;
	/* The reason buffers and var_at at the end are written before they
	 * are read. */
	memset(req, 0, offsetof(struct rsp_request, query_msg));
	req->lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	req->arena = a;
	req->fd = -1;
	set_env(req, (char *const *)empty_env, true);
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
		set_env(req, (char *const *)empty_env, true);
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
	set_env(req, v, true);
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

rsp_request *rsp_request_from_memory(char *const *envp, const void *body,
    size_t len)
{
	return rsp_request_from_memory_with(envp, body, len, NULL);
}

static void set_reader(rsp_request *req, char *const *envp, rsp__read_fn read,
    void *ctx)
{
	if (envp != NULL)
		set_env(req, envp, false);
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
	rsp__req_body_release(req);
	rsp__arena_reset(&req->arena);
	init(req, lim);
	set_reader(req, envp, read, ctx);
}

/* Copy a borrowed environment into the arena: RSP_OK or RSP_ENOMEM,
 * after which the environment reads as empty. */
static int own_env(rsp_request *req)
{
	if (req->env_owned)
		return RSP_OK;
	memset(req->var, 0, sizeof(req->var)); /* the new array's index */
	if (env_copy(req, req->envp) != RSP_OK) {
		set_env(req, (char *const *)empty_env, true);
		return RSP_ENOMEM;
	}
	return RSP_OK;
}

int rsp__request_detach(rsp_request *req)
{
	if (req == NULL)
		return RSP_OK;
	(void)rsp__req_body_load(req); /* errors stay for rsp_request_status */
	req->src = SRC_NONE;
	req->read = NULL;
	req->rctx = NULL;
	return own_env(req);
}

void rsp_request_free(rsp_request *req)
{
	if (req == NULL)
		return;
	rsp__req_body_release(req);
	rsp__arena_free(&req->arena);
	/* No pthread_mutex_destroy: the lock is a default mutex set with
	 * PTHREAD_MUTEX_INITIALIZER and unlocked here, which holds nothing to
	 * release, and a CGI run would pay a symbol binding for the call. */
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
		    req->nenv * sizeof(*req->handed));
		if (h == NULL)
			return NULL;
		memset(h, 0, req->nenv * sizeof(*h));
		STORE(&req->handed, h);
	}
	if (req->handed[idx] == NULL)
		STORE(&req->handed[idx],
		    (const char *)rsp__arena_strndup(&req->arena, v,
		        strlen(v)));
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

/* Variable k from the index (NULL: absent) and, when there, its entry. */
static inline const char *indexed(const rsp_request *req, int k, size_t *idx)
{
	const char *v = req->var[k];
	if (v != NULL)
		*idx = req->var_at[k];
	return v;
}

const char *rsp__request_var(const rsp_request *req, enum rsp__var v)
{
	return req != NULL ? rsp__req_env(req, v) : NULL;
}

const char *rsp_request_param(const rsp_request *req, const char *name)
{
	size_t idx = 0, nlen;
	if (req == NULL || name == NULL || (nlen = strlen(name)) == 0 ||
	    memchr(name, '=', nlen) != NULL)
		return NULL;
	int k = known_var(name, nlen);
	const char *v =
	    k >= 0 ? indexed(req, k, &idx) : env_find(req, name, nlen, &idx);
	return hand_out(req, idx, v);
}

/* The usual methods, handed out as these literals (which outlive any
 * request) rather than as copies of a borrowed environment's value. */
static const char *const usual_methods[] = { "GET", "HEAD", "POST", "PUT",
	"DELETE", "PATCH", "OPTIONS" };

const char *rsp_request_method(const rsp_request *req)
{
	size_t idx = 0;
	const char *m = req != NULL ? indexed(req, RSP__V_METHOD, &idx) : NULL;
	/* Empty is unset, as for every meta-variable (RFC 3875 4.1). */
	if (m == NULL || *m == '\0')
		return "GET";
	if (req->env_owned)
		return m;
	for (size_t i = 0; i < sizeof(usual_methods) / sizeof(usual_methods[0]);
	     i++)
		if (strcmp(m, usual_methods[i]) == 0)
			return usual_methods[i];
	m = hand_out(req, idx, m);
	return m != NULL ? m : "GET";
}

static inline unsigned char upper(unsigned char c)
{
	return (c >= 'a' && c <= 'z') ? (unsigned char)(c - 0x20) : c;
}

/* The HTTP_* variable of header `name` (a token of nlen bytes) by a scan
 * of envp; *idx is its entry. */
static const char *header_find(const rsp_request *req, const char *name,
    size_t nlen, size_t *idx)
{
	char *const *e = req->envp;
	for (size_t i = 0; e[i] != NULL; i++) {
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
			*idx = i;
			return s + nlen + 1;
		}
	}
	return NULL;
}

/* Which well-known HTTP_* variable holds header `name` (nlen bytes), or -1. */
static int known_header(const char *name, size_t nlen)
{
	char v[sizeof("HTTP_IF_UNMODIFIED_SINCE")] = "HTTP_";
	if (nlen > sizeof(v) - 6)
		return -1;
	for (size_t j = 0; j < nlen; j++) {
		unsigned char c = upper((unsigned char)name[j]);
		v[5 + j] = c == '-' ? '_' : (char)c;
	}
	return known_var(v, 5 + nlen);
}

const char *rsp_request_header(const rsp_request *req, const char *name)
{
	size_t nlen, idx = 0;
	const char *v;
	int k;

	if (req == NULL || name == NULL ||
	    !rsp__is_token(name, nlen = strlen(name)))
		return NULL;
	if (rsp__ieq(name, "Content-Type") ||
	    rsp__ieq(name, "Content-Length")) {
		/* CONTENT_*, never HTTP_CONTENT_*; empty is unset */
		v = indexed(req, nlen == 12 ? RSP__V_CTYPE : RSP__V_CLEN, &idx);
		if (v != NULL && *v == '\0')
			v = NULL;
	} else if ((k = known_header(name, nlen)) >= 0) {
		v = indexed(req, k, &idx);
	} else {
		v = header_find(req, name, nlen, &idx);
	}
	return hand_out(req, idx, v);
}

static void build_params(rsp_request *req)
{
	struct rsp__pair *v;
	if (req->nenv == 0 ||
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
	return rsp__pairs_next(&req->params, pos, name, value);
}

static void build_headers(rsp_request *req)
{
	struct rsp__pair *v;
	if (req->nenv == 0 ||
	    (v = rsp__arena_alloc(&req->arena, req->nenv * sizeof(*v))) == NULL)
		return;
	size_t n = 0;
	for (size_t i = 0; i < req->nenv; i++) {
		const char *e = req->envp[i], *eq = strchr(e, '='), *nb;
		if (eq == NULL)
			continue;
		bool content =
		    (eq - e == 12 && strncmp(e, "CONTENT_TYPE", 12) == 0) ||
		    (eq - e == 14 && strncmp(e, "CONTENT_LENGTH", 14) == 0);
		/* CONTENT_* speak for the body (an empty one is unset, RFC 3875
		 * §4.1); a server's HTTP_CONTENT_* copies would list them twice. */
		if (content && eq[1] != '\0')
			nb = e;
		else if (!content && strncmp(e, "HTTP_", 5) == 0 &&
		    eq > e + 5 && strncmp(e, "HTTP_CONTENT_TYPE=", 18) != 0 &&
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
	return rsp__pairs_next(&req->headers, pos, name, value);
}

/* ---------------------------------------------------------------- */
/* Query string and cookies                                          */

static const struct rsp__pair *pairs_find(const struct rsp__pairs *l,
    const char *name, size_t *from)
{
	size_t nlen = strlen(name);
	for (size_t i = from ? *from : 0; i < l->n; i++) {
		if (l->v[i].nlen == nlen &&
		    memcmp(l->v[i].name, name, nlen) == 0) {
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
		    "query has more than max_params (%zu) pairs",
		    req->lim.max_params);
	else if (rc == RSP_EBADREQ)
		snprintf(req->query_msg, sizeof(req->query_msg),
		    "query holds a NUL byte (%%00)");
	else
		snprintf(req->query_msg, sizeof(req->query_msg),
		    "out of memory");
	req->query_why = req->query_msg;
}

static int query_parse(rsp_request *req, const char *q);

static int query_load(const rsp_request *creq)
{
	rsp_request *req = mut(creq);
	if (LOAD(&req->query_done))
		return req->query_err;
	const char *q = rsp__req_env(req, RSP__V_QUERY);
	if (q == NULL || *q == '\0')
		return RSP_OK; /* the usual case: nothing to parse */
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
	int rc = len > req->lim.max_query
	    ? RSP_ELIMIT
	    : rsp__urlencoded_parse(&req->arena, q, len, req->lim.max_params,
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
static int query_judge(rsp_request *req)
{
	if (LOAD(&req->query_done))
		return req->query_err;
	const char *q = rsp__req_env(req, RSP__V_QUERY);
	if (q == NULL || *q == '\0')
		return RSP_OK;
	size_t len = strnlen(q, req->lim.max_query + 1);
	int rc = len > req->lim.max_query
	    ? RSP_ELIMIT
	    : rsp__urlencoded_judge(q, len, req->lim.max_params);
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
	return rsp__pairs_next(&req->query, pos, name, value);
}

static void cookie_load(const rsp_request *creq)
{
	rsp_request *req = mut(creq);
	if (LOAD(&req->cookie_done))
		return;
	const char *c = rsp__req_env(req, RSP__V_COOKIE);
	lock(req);
	if (!req->cookie_done && c != NULL) {
		size_t len = strnlen(c, req->lim.max_cookie + 1);
		if (len <= req->lim.max_cookie &&
		    rsp__cookie_parse(&req->arena, c, len, &req->cookies) !=
		        RSP_OK) {
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
	return rsp__pairs_next(&req->cookies, pos, name, value);
}

/* ---------------------------------------------------------------- */
/* Status                                                            */

/* Where the worst failure was found (req->worst). */
enum stage { ST_NONE, ST_METHOD, ST_QUERY, ST_BODY, ST_FORM };

static int method_check(const rsp_request *req)
{
	const char *m = rsp__req_env(req, RSP__V_METHOD);
	if (m != NULL && *m != '\0' && !rsp__is_token(m, strlen(m)))
		return RSP_EBADREQ;
	return RSP_OK;
}

static int rank(int err)
{
	switch (err) {
	case RSP_OK:
		return 0;
	case RSP_EBADREQ:
		return 3;
	case RSP_ELIMIT:
		return 2;
	default:
		return 1;
	}
}

/* Keep the worse of the verdict so far and stage s's rc, with its reason. */
static int judge(rsp_request *req, int st, int rc, enum stage s,
    const char *why)
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
	rc = rsp__req_body_load(req);
	st = judge(req, st, rc, ST_BODY, req->body_why);
	rc = rsp__req_form_load(req);
	return judge(req, st, rc, ST_FORM, req->form_why);
}

const char *rsp_request_errmsg(const rsp_request *req)
{
	if (req == NULL)
		return "no request (NULL)";
	return req->why != NULL ? req->why : "";
}

int rsp__request_refusal_status(const rsp_request *req, int st)
{
	switch (st) {
	case RSP_EBADREQ:
		return 400;
	case RSP_ELIMIT:
		return req->worst == ST_QUERY && req->query_long ? 414 : 413;
	case RSP_ENOMEM:
		return 500;
	default:
		return 400;
	}
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
