/*
 * body.c - the request body: CONTENT_LENGTH judged, exactly that many bytes
 * read once (from a descriptor, a FastCGI reader or memory) into the heap,
 * or above spill_threshold into an unlinked temporary file mapped read-only.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* O_TMPFILE */
#endif
#include "request_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define READ_CHUNK ((size_t)64 << 10)
#define READ_MAX ((size_t)1 << 30)

int rsp__req_cl_check(rsp_request *req)
{
	if (req->cl_done)
		return req->cl_err;
	req->cl_done = true;
	const char *s = rsp__req_env(req, RSP__V_CLEN);
	if (s == NULL || *s == '\0')
		return req->cl_err = RSP_OK;
	int64_t n = rsp__parse_content_length(s, strlen(s));
	if (n < 0) {
		req->cl_why = "CONTENT_LENGTH is not 1*DIGIT below 2^63";
		return req->cl_err = RSP_EBADREQ;
	}
	uint64_t v = (uint64_t)n;
	req->declared = true;
	req->clen = v;
	if (v > req->lim.max_body) {
		snprintf(req->cl_msg, sizeof(req->cl_msg),
		    "CONTENT_LENGTH %llu over max_body (%zu bytes)",
		    (unsigned long long)v, req->lim.max_body);
		req->cl_why = req->cl_msg;
		return req->cl_err = RSP_ELIMIT;
	}
	return req->cl_err = RSP_OK;
}

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
		snprintf(req->body_msg, sizeof(req->body_msg),
		    "body ended after %llu of %llu bytes",
		    (unsigned long long)got, (unsigned long long)req->clen);
	else
		snprintf(req->body_msg, sizeof(req->body_msg),
		    "%s after %llu of %llu body bytes",
		    rc == RSP_EIO ? "read error" : "out of memory",
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
			return body_fail(req, r == 0 ? RSP_EBADREQ : RSP_EIO,
			    want - n);
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
		req->body_why = buf == NULL
		    ? "out of memory"
		    : "no temporary file for a large body (TMPDIR)";
		goto out;
	}
	for (size_t left = len; left > 0;) {
		ptrdiff_t r =
		    read_some(req, buf, left < READ_CHUNK ? left : READ_CHUNK);
		if (r <= 0) {
			rc = body_fail(req, r == 0 ? RSP_EBADREQ : RSP_EIO,
			    len - left);
			goto out;
		}
		if ((rc = rsp__write_all(fd, buf, (size_t)r)) != RSP_OK) {
			req->body_why =
			    "writing the body to a temporary file failed";
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

int rsp__req_body_load(rsp_request *req)
{
	if (req->body_done)
		return req->body_err;
	req->body_done = true;

	int rc = rsp__req_cl_check(req);
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
			rsp__req_body_release(req);
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
	int rc = req != NULL ? rsp__req_body_load(req) : RSP_OK;
	if (rc != RSP_OK)
		req->why = req->body_why;
	if (data != NULL)
		*data = rc == RSP_OK
		    ? (req != NULL ? (const void *)req->body : "")
		    : NULL;
	if (len != NULL)
		*len = rc == RSP_OK && req != NULL ? req->body_len : 0;
	return rc;
}

void rsp__req_body_release(rsp_request *req)
{
	free(req->heap);
	req->heap = NULL;
	if (req->map != NULL)
		munmap(req->map, req->map_len);
	req->map = NULL;
	free(req->mem);
	req->mem = NULL;
}

bool rsp__request_unread_input(rsp_request *req)
{
	int n = 0;
	if (req == NULL || req->fd < 0 || rsp__req_cl_check(req) != RSP_OK ||
	    req->declared)
		return false;
	/* One ioctl: /dev/null and closed input answer no; a pipe or a file
	 * says how many bytes are waiting; a terminal is somebody typing. */
	return ioctl(req->fd, FIONREAD, &n) == 0 && n > 0 && !isatty(req->fd);
}
