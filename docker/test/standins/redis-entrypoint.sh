#!/bin/sh
set -e
# As the official entrypoint: flags or a .conf file run redis-server, which drops to `redis`.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = 'redis-server' ]; then
  # The official build patches protected mode off (the container's network is the boundary);
  # Debian's binary has it on, so it is switched off here, after any config file argument.
  set -- "$@" --protected-mode no
  if [ "$(id -u)" = '0' ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi
exec "$@"
