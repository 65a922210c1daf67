#!/bin/sh
# CGI fields twice, two Content-Lengths, hop-by-hop fields.
printf 'Status: 200 OK\nContent-Type: text/plain\nContent-Type: text/html\nStatus: 201 Created\nContent-Length: 3\nContent-Length: 3\nTransfer-Encoding: chunked\nConnection: close\nLocation: http://a.example/\nLocation: http://b.example/\n\nabc'
