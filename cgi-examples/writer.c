/*
 * writer.c - the second example of wptserve's Response docs: the same body
 * written piece by piece through the writer, with the headers spelled out
 * and no required headers added.
 */
#include <respond.h>

static int write_directly(rsp_request *req, rsp_response *res, void *arg)
{
	rsp_writer *w = res->writer;
	int rc;
	(void)req;
	(void)arg;
	res->add_required_headers = false;
	if ((rc = rsp_writer_write_header(w, "Content-Type", "text/plain")) !=
	        RSP_OK ||
	    (rc = rsp_writer_write_header(w, "Content-Length", "20")) !=
	        RSP_OK ||
	    (rc = rsp_writer_write(w, "Some ", -1)) != RSP_OK)
		return rc;
	return rsp_writer_write(w, "example content", -1);
}

int main(void)
{
	return rsp_run(write_directly, NULL);
}
