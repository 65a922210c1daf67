#!/bin/sh
# Header lines that are not 'name: value' or carry control bytes.
printf 'Status: 200 OK\r\nContent-Type: text/plain\r\nThis is not a header\r\nX Bad: 1\r\nX-Space : 1\r\n folded\r\nX-Ctl: a\001b\r\n: empty\r\nX-CR: a\rb\n\r\nok\n'
