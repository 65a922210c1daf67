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
/* Variables the library itself reads, found in one pass over envp. */
enum known {
	V_METHOD = RSP__V_METHOD, V_PROTO = RSP__V_PROTO,
	V_SCRIPT = RSP__V_SCRIPT, V_SCRIPT_FILE = RSP__V_SCRIPT_FILE,
	V_QUERY, V_CLEN, V_CTYPE, V_COOKIE, V_AUTH, V_N
};
enum form_kind { FORM_NONE, FORM_URLENCODED, FORM_MULTIPART };

struct rsp_request {
	/* request.c: the request's memory, limits and variables */
	struct rsp__arena arena;
	struct rsp_limits lim;          /* resolved: no zero field */
	char *const *envp;              /* never NULL */
	size_t nenv;                    /* entries, or ENV_UNCOUNTED */
	bool env_owned;                 /* envp lives as long as the request */
	const char **handed;            /* !env_owned: per-entry value copies */
	const char *method;
	const void *route;              /* the router's match, while dispatching */
	size_t scanned;                 /* envp entries indexed into kv so far */
	const char *kv[V_N];
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
	unsigned char *mem;             /* from_memory: malloc'd copy */
	size_t mem_len, mem_pos;
	bool cl_done;
	int cl_err;
	bool declared;                  /* CONTENT_LENGTH present, non-empty */
	uint64_t clen;
	bool body_done;
	int body_err;
	const unsigned char *body;
	size_t body_len;
	unsigned char *heap;            /* malloc'd body */
	void *map;                      /* mapped body */
	size_t map_len;

	/* form.c */
	bool form_done;
	int form_err;
	enum form_kind form_kind;
	struct rsp__pairs form;         /* urlencoded */
	struct rsp__multipart mp;       /* multipart */

	/* auth.c */
	bool auth_done;
	int auth_err;
	const char *user, *pass;

	/* Why each judged part failed (static strings or the buffers below),
	 * and the reason of the worst failure rsp_request_status found. */
	const char *query_why, *cl_why, *body_why, *form_why, *why;
	bool query_long;                /* the query is over max_query: 414 */
	int worst;                      /* enum stage of the worst failure */
	char query_msg[64], cl_msg[80], body_msg[64];

	/* Held while a const getter fills a cache; see mut() below. */
	pthread_mutex_t lock;
};

/*
 * The const getters (respond.h: callable from several threads at once)
 * fill caches on first use: the environment index, copied values, the
 * method, the parameter, header, query and cookie lists, the credentials.
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

/* ---- request.c -------------------------------------------------------- */

/* The value of a well-known variable, not handed out (read it at once, or
 * keep it only while the environment lives). */
const char *rsp__req_env(const rsp_request *req, enum known k);
/* Copy a borrowed environment into the arena (detach): RSP_OK or
 * RSP_ENOMEM, after which the environment reads as empty. */
int rsp__req_own_env(rsp_request *req);
/* The next pair of a list from *pos (the *_next iteration). */
bool rsp__pairs_next(const struct rsp__pairs *l, size_t *pos,
    const char **name, const char **value);

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
