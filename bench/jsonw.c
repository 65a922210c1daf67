/*
 * jsonw.c - the streaming JSON writer against cJSON, building and printing
 * the same 10 000-element document (an array of {"id", "name", "price",
 * "ok"} objects): nanoseconds per document for each, best of ROUNDS.
 * Usage: jsonw [ROUNDS]; prints "jsonw NS BYTES" and "cjson NS BYTES".
 */
#define _POSIX_C_SOURCE 200809L
#include <respond.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 10000

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static size_t with_jsonw(void)
{
	struct rsp_buffer b = { 0 };
	rsp_jsonw *j = rsp_jsonw_new_buffer(&b);
	char name[32];
	int rc = rsp_jsonw_array_begin(j);
	for (int i = 0; rc == 0 && i < N; i++) {
		int n = snprintf(name, sizeof(name), "item %d", i);
		rc |= rsp_jsonw_object_begin(j);
		rc |= rsp_jsonw_key(j, "id", 2);
		rc |= rsp_jsonw_int(j, i);
		rc |= rsp_jsonw_key(j, "name", 4);
		rc |= rsp_jsonw_string(j, name, n);
		rc |= rsp_jsonw_key(j, "price", 5);
		rc |= rsp_jsonw_double(j, i * 0.25);
		rc |= rsp_jsonw_key(j, "ok", 2);
		rc |= rsp_jsonw_bool(j, i % 2);
		rc |= rsp_jsonw_object_end(j);
	}
	rc |= rsp_jsonw_array_end(j);
	rc |= rsp_jsonw_end(j);
	if (rc != 0) {
		fprintf(stderr, "jsonw failed: %s\n", rsp_jsonw_reason(j));
		exit(1);
	}
	size_t len = b.len;
	rsp_jsonw_free(j);
	rsp_buffer_free(&b);
	return len;
}

static size_t with_cjson(void)
{
	cJSON *a = cJSON_CreateArray();
	char name[32];
	for (int i = 0; i < N; i++) {
		cJSON *o = cJSON_CreateObject();
		snprintf(name, sizeof(name), "item %d", i);
		cJSON_AddNumberToObject(o, "id", i);
		cJSON_AddStringToObject(o, "name", name);
		cJSON_AddNumberToObject(o, "price", i * 0.25);
		cJSON_AddBoolToObject(o, "ok", i % 2);
		cJSON_AddItemToArray(a, o);
	}
	char *s = cJSON_PrintUnformatted(a);
	if (s == NULL) {
		fputs("cJSON failed\n", stderr);
		exit(1);
	}
	size_t len = strlen(s);
	cJSON_free(s);
	cJSON_Delete(a);
	return len;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20;
	double best[2] = { 1e300, 1e300 };
	size_t len[2] = { 0, 0 };
	for (int r = 0; r < rounds; r++) {
		double t0 = now();
		len[0] = with_jsonw();
		double t1 = now();
		len[1] = with_cjson();
		double t2 = now();
		if (t1 - t0 < best[0])
			best[0] = t1 - t0;
		if (t2 - t1 < best[1])
			best[1] = t2 - t1;
	}
	printf("jsonw %.0f %zu\ncjson %.0f %zu\n", best[0], len[0], best[1],
	    len[1]);
	return 0;
}
