# Stand-in for the official nginx:<version>-alpine image (test tooling, never shipped): Debian's
# nginx in the foreground with the official image's contract: /etc/nginx/nginx.conf, logs to
# stdout/stderr, STOPSIGNAL SIGQUIT (graceful), busybox `wget` as Alpine has it.
FROM cloop-standin/trixie-minbase:latest
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx \
  && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* \
  && ln -sf /dev/stdout /var/log/nginx/access.log \
  && ln -sf /dev/stderr /var/log/nginx/error.log
COPY busybox /bin/busybox
RUN ln -s /bin/busybox /usr/bin/wget && nginx -v
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
