#!/bin/sh
# A correct NPH response (the nph- prefix makes it NPH).
printf 'HTTP/1.1 202 Accepted\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n'
