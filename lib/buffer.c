/*
 * buffer.c - the growable byte buffer behind the memory sink, the writer's
 * output buffer and rsp_writer_encode.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int rsp__buf_reserve(struct rsp_buffer *b, size_t extra)
{
	if (b->cap - b->len >= extra)
		return RSP_OK;
	if (extra > SIZE_MAX - b->len)
		return RSP_ENOMEM;
	size_t need = b->len + extra;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	/* malloc when empty: the usual first call, and one libc symbol less
	 * to bind at a CGI start than realloc(NULL, ...). */
	char *p = b->data != NULL ? realloc(b->data, cap) : malloc(cap);
	if (p == NULL)
		return RSP_ENOMEM;
	b->data = p;
	b->cap = cap;
	return RSP_OK;
}

int rsp__buf_append(struct rsp_buffer *b, const void *data, size_t len)
{
	if (len == 0)
		return RSP_OK;
	int rc = rsp__buf_reserve(b, len);
	if (rc != RSP_OK)
		return rc;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return RSP_OK;
}

int rsp_buffer_append(struct rsp_buffer *buf, const void *data, ssize_t len)
{
	if (buf == NULL || (data == NULL && len != 0))
		return RSP_EINVAL;
	if (data == NULL) /* and so len == 0: nothing to append */
		return RSP_OK;
	return rsp__buf_append(buf, data, rsp__len(data, len));
}

void rsp_buffer_free(struct rsp_buffer *buf)
{
	if (buf == NULL)
		return;
	free(buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
}
