#!/bin/sh
# The command-line tool inside the image: `cloop user:create --email ...` (see `cloop` with no arguments).
cd /app && exec node dist/api/api/src/cli.js "$@"
