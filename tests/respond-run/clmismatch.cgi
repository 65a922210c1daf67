#!/bin/sh
# Content-Length says 10, the body has 5 bytes.
printf 'Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nhello'
