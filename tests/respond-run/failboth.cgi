#!/bin/sh
# A protocol violation and a non-zero exit status.
printf 'Status: xyz\r\n\r\n'
exit 4
