# Stand-in for the official redis:<version>-alpine image (test tooling, never shipped): Debian's
# redis-server with the official layout: WORKDIR /data, user `redis`, protected mode off (the
# official build patches it off: the container's network is the boundary), CMD ["redis-server"].
FROM cloop-standin/bookworm-minbase:latest
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir /data && chown redis:redis /data
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /data
WORKDIR /data
ENTRYPOINT ["docker-entrypoint.sh"]
EXPOSE 6379
CMD ["redis-server"]
