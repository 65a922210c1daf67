/*
 * request_int.h - the request's layout and the calls its four files share
 * (request.c, body.c, form.c, auth.c); nothing else includes it.
 */
#ifndef RESPOND_REQUEST_INT_H
#define RESPOND_REQUEST_INT_H

#include "internal.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

enum body_src { SRC_NONE, SRC_FD, SRC_READER, SRC_MEM };
enum form_kind { FORM_NONE, FORM_URLENCODED, FORM_MULTIPART };

struct rsp_request {
	/* request.c: the request's memory, limits and variables */
	struct rsp__arena arena;
	struct rsp_limits lim; /* resolved: no zero field */
	char *const *envp;     /* never NULL */
	size_t nenv;           /* its entries */
	bool env_owned;        /* envp lives as long as the request */
	const char **handed;   /* !env_owned: per-entry value copies */
	/* The index, filled whenever envp is set: each well-known variable's
	 * value (NULL: absent) and its entry in envp (var_at, below). */
	const char *var[RSP__V_N];
	const void *route; /* the router's match, while dispatching */
	bool query_done;
	int query_err;
	struct rsp__pairs query;
	bool cookie_done;
	struct rsp__pairs cookies;
	bool hdr_done;
	struct rsp__pairs headers;
	bool par_done;
	struct rsp__pairs params;

	/* body.c: where the body comes from, CONTENT_LENGTH, the body read */
	enum body_src src;
	int fd;
	rsp__read_fn read;
	void *rctx;
	unsigned char *mem; /* from_memory: malloc'd copy */
	size_t mem_len, mem_pos;
	bool cl_done;
	int cl_err;
	bool declared; /* CONTENT_LENGTH present, non-empty */
	uint64_t clen;
	bool body_done;
	int body_err;
	const unsigned char *body;
	size_t body_len;
	unsigned char *heap; /* malloc'd body */
	void *map;           /* mapped body */
	size_t map_len;

	/* form.c */
	bool form_done;
	int form_err;
	enum form_kind form_kind;
	struct rsp__pairs form;   /* urlencoded */
	struct rsp__multipart mp; /* multipart */

	/* auth.c */
	bool auth_done;
	int auth_err;
	const char *user, *pass;

	/* Why each judged part failed (static strings or the buffers below),
	 * and the reason of the worst failure rsp_request_status found. */
	const char *query_why, *cl_why, *body_why, *form_why, *why;
	bool query_long; /* the query is over max_query: 414 */
	int worst;       /* enum stage of the worst failure */
	char query_msg[64], cl_msg[80], body_msg[64];
	/* Not cleared either: var_at[k] is set with var[k] and read only when
	 * var[k] is (the entry, for handed). */
	size_t var_at[RSP__V_N];

	/* Held while a const getter fills a cache; see mut() below. */
	pthread_mutex_t lock;
};

/*
 * The const getters (respond.h: callable from several threads at once)
 * fill caches on first use: copied values, the parameter, header, query
 * and cookie lists, the credentials.  (The environment index is not one:
 * it is built when envp is set, before any getter can run.)
 * The request is always allocated writable, so they write through mut();
 * each cache is filled with req->lock held and published with a release
 * store (STORE) of its pointer or done flag, and read after an acquire
 * load (LOAD).  So concurrent readers see a cache either absent or whole,
 * and take the lock only on a miss.  Nothing else a const getter reaches
 * is written.
 */
static inline rsp_request *mut(const rsp_request *req)
{
	return (rsp_request *)(uintptr_t)req;
}

#define LOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

static inline void lock(const rsp_request *req)
{
	pthread_mutex_lock(&mut(req)->lock);
}

static inline void unlock(const rsp_request *req)
{
	pthread_mutex_unlock(&mut(req)->lock);
}

/* ---- request.c -------------------------------------------------------- */

/* The value of a well-known variable from the index (a load), not handed
 * out: read it at once, or keep it only while the environment lives. */
static inline const char *rsp__req_env(const rsp_request *req, enum rsp__var k)
{
	return req->var[k];
}
/* The next pair of a list from *pos (the *_next iteration). */
static inline bool rsp__pairs_next(const struct rsp__pairs *l, size_t *pos,
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

/* ---- body.c ----------------------------------------------------------- */

/* CONTENT_LENGTH judged once: sets declared and clen; RSP_EBADREQ or
 * RSP_ELIMIT with cl_why. */
int rsp__req_cl_check(rsp_request *req);
/* Read the declared body once (into the heap, or spilled to a mapped
 * temporary file); the verdict is kept, with body_why on failure. */
int rsp__req_body_load(rsp_request *req);
/* Free the body's memory and the from_memory copy. */
void rsp__req_body_release(rsp_request *req);

/* ---- form.c ----------------------------------------------------------- */

/* Parse the form once, when CONTENT_TYPE is a form type and a body is
 * declared; the verdict is kept, with form_why on failure. */
int rsp__req_form_load(rsp_request *req);

#endif /* RESPOND_REQUEST_INT_H */
