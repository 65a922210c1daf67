/*
 * api.c - a small JSON CRUD over an in-memory table (one per process):
 * routes, JSON in with jansson (the library itself parses no JSON), JSON
 * out with the streaming writer, errors in the JSON error shape.
 *
 *   GET    /items        [{"id": 1, "name": "a"}, ...]
 *   POST   /items        {"name": "a"} -> 201, the item, Location
 *   GET    /items/{id}   the item
 *   PUT    /items/{id}   {"name": "b"} -> 200, the item
 *   DELETE /items/{id}   204
 * 400 bad JSON or a missing/non-string name, 404 unknown id or path, 405
 * with Allow, 409 a name already taken, 415 a body that is not JSON.
 * An access log in Combined Log Format goes to stderr, or to the file
 * API_LOG (appended) in API_LOG_FORMAT: common, combined or json.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <respond.h>

#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct item {
	long long id;
	char *name;
};

/* The table; FastCGI workers may share it, so one lock guards it. */
static struct {
	pthread_mutex_t lock;
	struct item *v;
	size_t n, cap;
	long long next_id;
} db = { PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0, 1 };

static struct item *find(long long id)
{
	for (size_t i = 0; i < db.n; i++)
		if (db.v[i].id == id)
			return &db.v[i];
	return NULL;
}

static bool name_taken(const char *name, long long except)
{
	for (size_t i = 0; i < db.n; i++)
		if (db.v[i].id != except && strcmp(db.v[i].name, name) == 0)
			return true;
	return false;
}

/* {id} as a positive decimal number, else 0 (which no item has). */
static long long id_param(rsp_request *req)
{
	const char *s = rsp_route_param(req, "id");
	char *end;
	if (s == NULL || *s < '1' || *s > '9')
		return 0;
	long long id = strtoll(s, &end, 10);
	return *end == '\0' ? id : 0;
}

static int send_item(rsp_response *res, int status, const struct item *it)
{
	rsp_jsonw *j = rsp_jsonw_new(res, RSP_JSONW_CONTENT);
	if (j == NULL)
		return RSP_ENOMEM;
	int rc = rsp_jsonw_object_begin(j);
	if (rc == 0 && (rc = rsp_jsonw_key(j, "id", -1)) == 0)
		rc = rsp_jsonw_int(j, it->id);
	if (rc == 0 && (rc = rsp_jsonw_key(j, "name", -1)) == 0)
		rc = rsp_jsonw_string(j, it->name, -1);
	if (rc == 0 && (rc = rsp_jsonw_object_end(j)) == 0)
		rc = rsp_jsonw_end(j);
	return rc == 0 ? rsp_set_status(res, status, NULL) : rc;
}

/*
 * The body's "name": a string, from a JSON object, sent as
 * application/json.  Otherwise the error is already set and NULL returned;
 * the caller frees *doc.
 */
static const char *body_name(rsp_request *req, rsp_response *res, json_t **doc)
{
	const char *ct = rsp_request_header(req, "Content-Type");
	size_t tl = ct ? strcspn(ct, "; \t") : 0;
	const void *data;
	size_t len;
	json_error_t err;

	*doc = NULL;
	if (ct == NULL || tl != 16 ||
	    strncasecmp(ct, "application/json", 16) != 0) {
		rsp_set_error(res, 415, "the body must be application/json");
		return NULL;
	}
	if (rsp_request_body(req, &data, &len) != RSP_OK) {
		rsp_set_error(res, 400, "the body could not be read");
		return NULL;
	}
	*doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (*doc == NULL) {
		char msg[256];
		snprintf(msg, sizeof(msg), "bad JSON: %s at line %d column %d",
		    err.text, err.line, err.column);
		rsp_set_error(res, 400, msg);
		return NULL;
	}
	json_t *name =
	    json_is_object(*doc) ? json_object_get(*doc, "name") : NULL;
	if (!json_is_string(name)) {
		rsp_set_error(res, 400,
		    "the body must be an object with a string \"name\"");
		return NULL;
	}
	return json_string_value(name);
}

static int list(rsp_request *req, rsp_response *res, void *arg)
{
	(void)req;
	(void)arg;
	rsp_jsonw *j = rsp_jsonw_new(res, RSP_JSONW_CONTENT);
	if (j == NULL)
		return RSP_ENOMEM;
	pthread_mutex_lock(&db.lock);
	int rc = rsp_jsonw_array_begin(j);
	for (size_t i = 0; rc == 0 && i < db.n; i++) {
		rc = rsp_jsonw_object_begin(j);
		if (rc == 0 && (rc = rsp_jsonw_key(j, "id", -1)) == 0)
			rc = rsp_jsonw_int(j, db.v[i].id);
		if (rc == 0 && (rc = rsp_jsonw_key(j, "name", -1)) == 0)
			rc = rsp_jsonw_string(j, db.v[i].name, -1);
		if (rc == 0)
			rc = rsp_jsonw_object_end(j);
	}
	pthread_mutex_unlock(&db.lock);
	if (rc == 0 && (rc = rsp_jsonw_array_end(j)) == 0)
		rc = rsp_jsonw_end(j);
	return rc;
}

static int create(rsp_request *req, rsp_response *res, void *arg)
{
	json_t *doc;
	const char *name = body_name(req, res, &doc);
	int rc = RSP_OK;
	(void)arg;
	if (name == NULL) {
		json_decref(doc);
		return RSP_OK;
	}
	pthread_mutex_lock(&db.lock);
	if (name_taken(name, 0)) {
		rc = rsp_set_error(res, 409, "an item with this name exists");
	} else if (db.n == db.cap &&
	    (db.cap = db.cap ? db.cap * 2 : 16,
	        db.v = realloc(db.v, db.cap * sizeof(*db.v))) == NULL) {
		rc = RSP_ENOMEM;
	} else {
		struct item *it = &db.v[db.n];
		if ((it->name = strdup(name)) == NULL) {
			rc = RSP_ENOMEM;
		} else {
			it->id = db.next_id++;
			db.n++;
			/* the collection's own path (as the client sent it) + the id */
			const char *uri = rsp_request_param(req, "REQUEST_URI");
			int ulen = uri ? (int)strcspn(uri, "?") : 0;
			rc = rsp_headers_setf(res->headers, "Location",
			    "%.*s/%lld", ulen, uri ? uri : "", it->id);
			if (rc == RSP_OK)
				rc = send_item(res, 201, it);
		}
	}
	pthread_mutex_unlock(&db.lock);
	json_decref(doc);
	return rc;
}

static int show(rsp_request *req, rsp_response *res, void *arg)
{
	(void)arg;
	pthread_mutex_lock(&db.lock);
	struct item *it = find(id_param(req));
	int rc = it ? send_item(res, 200, it)
	            : rsp_set_error(res, 404, "no such item");
	pthread_mutex_unlock(&db.lock);
	return rc;
}

static int update(rsp_request *req, rsp_response *res, void *arg)
{
	json_t *doc;
	int rc;
	(void)arg;
	pthread_mutex_lock(&db.lock);
	struct item *it = find(id_param(req));
	const char *name;
	char *copy;
	if (it == NULL)
		rc = rsp_set_error(res, 404, "no such item");
	else if ((name = body_name(req, res, &doc)) == NULL)
		rc = RSP_OK;
	else if (name_taken(name, it->id))
		rc = rsp_set_error(res, 409, "an item with this name exists");
	else if ((copy = strdup(name)) == NULL)
		rc = RSP_ENOMEM;
	else {
		free(it->name);
		it->name = copy;
		rc = send_item(res, 200, it);
	}
	pthread_mutex_unlock(&db.lock);
	if (it != NULL)
		json_decref(doc);
	return rc;
}

static int destroy(rsp_request *req, rsp_response *res, void *arg)
{
	(void)arg;
	pthread_mutex_lock(&db.lock);
	struct item *it = find(id_param(req));
	int rc;
	if (it == NULL) {
		rc = rsp_set_error(res, 404, "no such item");
	} else {
		free(it->name);
		size_t i = (size_t)(it - db.v);
		memmove(it, it + 1, (db.n - i - 1) * sizeof(*it));
		db.n--;
		rc = rsp_set_status(res, 204, NULL);
	}
	pthread_mutex_unlock(&db.lock);
	return rc;
}

static const struct rsp_route routes[] = {
	{ "GET", "/items", list, NULL },
	{ "POST", "/items", create, NULL },
	{ "GET", "/items/{id}", show, NULL },
	{ "PUT", "/items/{id}", update, NULL },
	{ "DELETE", "/items/{id}", destroy, NULL },
};

int main(void)
{
	const char *file = getenv("API_LOG"), *fmt = getenv("API_LOG_FORMAT");
	struct rsp_access_log log = { 2, RSP_LOG_COMBINED };
	if (file != NULL &&
	    (log.fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	         0644)) < 0) {
		perror(file);
		return 1;
	}
	if (fmt != NULL && strcmp(fmt, "common") == 0)
		log.format = RSP_LOG_COMMON;
	else if (fmt != NULL && strcmp(fmt, "json") == 0)
		log.format = RSP_LOG_JSON;
	struct rsp_options opts = { .access_log = rsp_access_log_write,
		.access_arg = &log };
	return rsp_run_routes(routes, sizeof(routes) / sizeof(routes[0]),
	    &opts);
}
