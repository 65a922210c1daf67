/*
 * latin1.c - text in a non-UTF-8 encoding: the handler writes UTF-8 and the
 * writer converts it to ISO-8859-1 through iconv.
 */
#include <respond.h>

static int latin1(rsp_request *req, rsp_response *res, void *arg)
{
	rsp_writer *w = res->writer;
	int rc;
	(void)req;
	(void)arg;
	if ((rc = rsp_set_encoding(res, "ISO-8859-1")) != RSP_OK ||
	    (rc = rsp_writer_write_status(w, 200, NULL)) != RSP_OK ||
	    (rc = rsp_writer_write_header(w, "Content-Type",
	         "text/plain; charset=ISO-8859-1")) != RSP_OK ||
	    (rc = rsp_writer_end_headers(w)) != RSP_OK)
		return rc;
	/* "café crème, naïve façade" in UTF-8; one byte per letter goes out. */
	return rsp_writer_write(w,
	    "caf\xc3\xa9 cr\xc3\xa8me, na\xc3\xafve fa\xc3\xa7"
	    "ade\n",
	    -1);
}

int main(void)
{
	return rsp_run(latin1, NULL);
}
