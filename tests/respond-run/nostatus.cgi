#!/bin/sh
# No Status, only Content-Type, LF line ends: allowed (status 200).
printf 'Content-Type: text/html\n\n<p>hi</p>\n'
