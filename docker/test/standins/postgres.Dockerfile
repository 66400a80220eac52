# Stand-in for pgvector/pgvector:<version>-pg17-bookworm (the official postgres:17 image plus the
# extension; test tooling, never shipped). PostgreSQL 17 and pgvector come from Debian trixie (bookworm
# has neither); the layout follows the official image: PGDATA=/var/lib/postgresql/data, the server's
# binaries on PATH, user `postgres` (999), an entrypoint that honours POSTGRES_PASSWORD,
# POSTGRES_USER, POSTGRES_DB, POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD and
# /docker-entrypoint-initdb.d, STOPSIGNAL SIGINT (a fast shutdown).
FROM cloop-standin/trixie-minbase:latest
ARG PG_MAJOR=17
RUN groupadd --system --gid 999 postgres \
  && useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql --shell /bin/bash postgres \
  && mkdir -p /etc/postgresql-common/createcluster.d \
  && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/standin.conf \
  && apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       "postgresql-${PG_MAJOR}" "postgresql-${PG_MAJOR}-pgvector" locales \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d \
  && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
  && chmod 3777 /var/run/postgresql
ENV PG_MAJOR=${PG_MAJOR} \
    PATH=/usr/lib/postgresql/${PG_MAJOR}/bin:$PATH \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
