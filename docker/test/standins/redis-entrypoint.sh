#!/bin/sh
set -e
# As the official entrypoint: flags or a .conf file run redis-server, which drops to `redis`.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = 'redis-server' ]; then
  shift
  set -- redis-server --protected-mode no "$@"
  if [ "$(id -u)" = '0' ]; then exec setpriv --reuid=redis --regid=redis --init-groups "$@"; fi
fi
exec "$@"
