#!/usr/bin/env bash
# Cloop's Docker deployment, for real, as an operator runs it (docs/self-hosting.md): a Docker engine,
# the shipped docker/ files copied byte for byte, `docker-compose` standing in for `docker compose`.
#   docker/test/e2e.sh          (root: installs Debian's engine if missing and starts dockerd)
# 1. the engine (installed and started if needed; no engine is a failure, never a skip);
# 2. stand-ins for the base images, carrying the shipped tags (docker/test/standins/build.sh);
# 3. Cloop's image, built by `docker-compose build` from a copy of the repository;
# 4. `up -d` with a filled .env, healthy, sign up through the published port, a widget message in
#    the inbox API, the `cloop` CLI inside the container;
# 5. backup with pg_dump, restore into a fresh stack, the data is there;
# 6. the replicas profile: both replicas recreated (new addresses) one after the other while a
#    client keeps sending, never retrying: no failed request, no lost message, the proxy follows;
# 7. embedded mode: `docker run -v …:/data -p …:3000 IMAGE` on PGlite alone;
# then everything it made goes: containers, networks, volumes and, when it started dockerd, the
# engine, its iptables rules and docker0. Prints the time of each step.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
run_id="cloope2e$$"
work="$(mktemp -d /tmp/cloop-e2e.XXXXXX)"
started_dockerd=""
t0=$(date +%s)
timings=()
step_started=$t0

say() { printf '\n--- e2e: %s\n' "$*"; }
fail() { printf '\ne2e FAILED: %s\n' "$*" >&2; exit 1; }
done_step() { # name
  local now; now=$(date +%s)
  timings+=("$(printf '%-44s %4d s' "$1" $((now - step_started)))")
  step_started=$now
}

# ---------------------------------------------------------------------------------------------
# Teardown: whatever happened, nothing of ours stays behind.
compose_projects=()
teardown() {
  local rc=$?
  set +e
  say "teardown"
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    for project in "${compose_projects[@]}"; do
      (cd "$work/cloop" 2>/dev/null && docker-compose -p "$project" -f docker/compose.yaml --profile replicas \
        down -v --remove-orphans -t 30 >/dev/null 2>&1)
    done
    docker ps -aq --filter "label=cloop.e2e=$run_id" | xargs -r docker rm -f >/dev/null
    docker rm -f "$run_id-embedded" >/dev/null 2>&1
    docker volume ls -q --filter "name=$run_id" | xargs -r docker volume rm >/dev/null
    docker network ls -q --filter "name=$run_id" | xargs -r docker network rm >/dev/null
    if [ -e "$work/inventory.before" ]; then
      left="$(comm -13 "$work/inventory.before" <(inventory | sort))"
      [ -z "$left" ] || { echo "e2e: left behind (containers, volumes, networks): $left" >&2; rc=1; }
    fi
  fi
  if [ -n "$started_dockerd" ]; then
    kill "$started_dockerd" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$started_dockerd" 2>/dev/null || break; sleep 1; done
    # dockerd leaves its chains and its bridge behind: put back the rules as they were before it.
    iptables-restore <"$work/iptables.before"
    # A table that did not exist before (a fresh host: `iptables-save` printed nothing) is not
    # touched by the restore: empty it, as it was.
    for table in filter nat; do
      grep -q "^\*$table" "$work/iptables.before" && continue
      iptables -t "$table" -F && iptables -t "$table" -X
      iptables -t "$table" -S | awk '$1 == "-P" { print $2 }' |
        while read -r chain; do iptables -t "$table" -P "$chain" ACCEPT; done
    done
    ip link delete docker0 2>/dev/null
    sysctl -qw net.ipv4.ip_forward="$(cat "$work/ip_forward.before")"
    if iptables-save | grep -qi docker || ip link show docker0 >/dev/null 2>&1; then
      echo "e2e: iptables rules or docker0 left behind" >&2; rc=1
    fi
  fi
  rm -rf "$work"
  printf '\ne2e timings:\n'
  printf '  %s\n' "${timings[@]}"
  printf '  %-44s %4d s\n' total $(($(date +%s) - t0))
  [ "$rc" = 0 ] && echo "e2e passed" || echo "e2e failed (exit $rc)"
  exit "$rc"
}
trap teardown EXIT
# A signal (CI cancelled, Ctrl-C) still tears down.
trap "exit 143" TERM
trap "exit 130" INT

# ---------------------------------------------------------------------------------------------
say "engine"
if ! command -v dockerd >/dev/null || ! command -v docker-compose >/dev/null || ! command -v debootstrap >/dev/null ||
  ! command -v jq >/dev/null || [ ! -x /bin/busybox ]; then
  echo "installing Debian's engine (docker.io, docker-compose v1), debootstrap, busybox-static, jq"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io containerd runc iptables docker-compose \
    debootstrap busybox-static jq >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  iptables-save >"$work/iptables.before"
  sysctl -n net.ipv4.ip_forward >"$work/ip_forward.before"
  # Plainly, with NAT: the stand-ins' builds reach the Debian mirror and the npm registry.
  dockerd >"$work/dockerd.log" 2>&1 &
  started_dockerd=$!
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || fail "dockerd did not start: $(tail -5 "$work/dockerd.log")"
fi
docker version --format 'engine {{.Server.Version}}, client {{.Client.Version}}'
# What exists before: after the run, nothing more may (containers, volumes, networks).
inventory() { docker ps -aq --no-trunc; docker volume ls -q; docker network ls -q --no-trunc; }
inventory | sort >"$work/inventory.before"
docker-compose version --short
done_step "engine"

say "stand-in base images"
"$repo/docker/test/standins/build.sh"
done_step "stand-ins (cached when unchanged)"

# ---------------------------------------------------------------------------------------------
# The operator's copy of Cloop: the repository's files as they are (git's view of the work tree).
say "Cloop's image (docker-compose build)"
mkdir -p "$work/cloop"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
  tar --null -T - -cf -) | tar -C "$work/cloop" -xf -
cmp "$repo/docker/Dockerfile" "$work/cloop/docker/Dockerfile"
cmp "$repo/docker/compose.yaml" "$work/cloop/docker/compose.yaml"
cd "$work/cloop"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cloop_port=$(free_port)
proxy_port=$(free_port)
image="cloop:e2e"
# The .env an operator writes from the example (docs/self-hosting.md, "Install").
cp docker/.env.example docker/.env
sed -i \
  -e "s|^JWT_SECRET=\$|JWT_SECRET=$(openssl rand -base64 48 | tr -d '\n')|" \
  -e "s|^AUDIT_KEY=\$|AUDIT_KEY=$(openssl rand -base64 48 | tr -d '\n')|" \
  -e "s|^POSTGRES_PASSWORD=\$|POSTGRES_PASSWORD=$(openssl rand -hex 24)|" \
  -e "s|^PUBLIC_URL=.*|PUBLIC_URL=http://127.0.0.1:$cloop_port|" \
  -e "s|^CLOOP_PORT=.*|CLOOP_PORT=$cloop_port|" \
  -e "s|^PROXY_PORT=.*|PROXY_PORT=$proxy_port|" \
  docker/.env
grep -q '^JWT_SECRET=.\{40,\}' docker/.env || fail ".env.example has no empty JWT_SECRET= line to fill"
# The test's own: its image name, and rate limits high enough for one host sending all the traffic.
cat >>docker/.env <<EOF
CLOOP_IMAGE=$image
RATE_LIMITS={"chat":{"limit":100000},"public":{"limit":100000},"visitorMessages":{"limit":100000},"newVisitors":{"limit":100000},"admin":{"limit":100000}}
EOF
compose() { docker-compose -p "$1" -f docker/compose.yaml "${@:2}"; }
# Each step below runs a command the guide gives; this fails when the guide no longer gives it.
documented() { # the part after `docker compose -f docker/compose.yaml `
  grep -qF -- "docker compose -f docker/compose.yaml $1" "$repo/docs/self-hosting.md" ||
    fail "docs/self-hosting.md no longer shows \`docker compose -f docker/compose.yaml $1\`, which CI runs"
}
grep -qF 'cp docker/.env.example docker/.env' "$repo/docs/self-hosting.md" || fail "the guide lost its install steps"
compose_projects+=("$run_id" "${run_id}restore")
build_started=$(date +%s)
compose "$run_id" build --quiet cloop >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "image build"; }
echo "built $image in $(($(date +%s) - build_started)) s: $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"
done_step "Cloop image build"

# ---------------------------------------------------------------------------------------------
wait_healthy() { # container [timeout s]
  local deadline=$(($(date +%s) + ${2:-180})) status
  while :; do
    status="$(docker inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null || echo missing)"
    [ "$status" = healthy ] && return 0
    [ "$(date +%s)" -lt "$deadline" ] || { docker logs --tail 30 "$1" 2>&1; fail "$1 is $status"; }
    sleep 1
  done
}
cid() { compose "$1" --profile replicas ps -q "$2"; }
api() { # method url [json] [token]
  curl -sS --fail-with-body -X "$1" "$2" -H 'content-type: application/json' \
    ${4:+-H "authorization: Bearer $4"} ${3:+--data "$3"}
}

say "up -d"
documented 'up -d --build'
# (--build: the image above, from the build cache.)
compose "$run_id" up -d --build >"$work/up.log" 2>&1 || { tail -30 "$work/up.log"; fail "up -d --build"; }
wait_healthy "$(cid "$run_id" db)"
wait_healthy "$(cid "$run_id" cloop)"
base="http://127.0.0.1:$cloop_port"
curl -sf "$base/api/ready" | jq -c .
[ "$(curl -sf "$base/api/ready" | jq -r .database)" = up ] || fail "not ready"
# Each service got only its own variables: the database password never reaches Cloop as such.
if docker exec "$(cid "$run_id" cloop)" env | grep -q '^POSTGRES_PASSWORD='; then fail "POSTGRES_PASSWORD in Cloop's environment"; fi
[ "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}}' "$(cid "$run_id" cloop)")" = "true [ALL]" ] ||
  fail "Cloop's container is not read-only without capabilities"
[ -z "$(docker inspect -f '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}' "$(cid "$run_id" cloop)")" ] ||
  fail "Cloop's container has a volume"
done_step "up, healthy"

say "sign up, a site, a widget message, the inbox"
email="owner-$run_id@example.com"
signup="$(api POST "$base/api/v1/auth/signup" "{\"email\":\"$email\",\"password\":\"correct horse battery staple\",\"name\":\"Operator\"}")"
token="$(jq -r .accessToken <<<"$signup")"
org="$(api GET "$base/api/v1/auth/me" "" "$token" | jq -r '.organizations[0].id')"
site="$(api POST "$base/api/v1/sites" "{\"organizationId\":\"$org\",\"name\":\"Shop\",\"allowedOrigins\":[\"https://shop.example\"]}" "$token")"
site_id="$(jq -r .id <<<"$site")"
site_key="$(jq -r .publicKey <<<"$site")"
visitor="$(python3 -c 'import uuid; print(uuid.uuid4())')"
widget=(-H "x-cloop-site-key: $site_key" -H "x-cloop-visitor: $visitor" -H 'origin: https://shop.example')
curl -sSf "${widget[@]}" -H 'content-type: application/json' "$base/api/v1/widget/session" --data '{"entryUrl":"https://shop.example/"}' >/dev/null
curl -sSf "${widget[@]}" -H 'content-type: application/json' "$base/api/v1/widget/messages" \
  --data "{\"id\":\"$(python3 -c 'import uuid; print(uuid.uuid4())')\",\"body\":\"Where is my parcel?\"}" >/dev/null
conversation="$(api GET "$base/api/v1/sites/$site_id/conversations" "" "$token" | jq -r '.items[0].id')"
api GET "$base/api/v1/sites/$site_id/conversations/$conversation" "" "$token" | jq -e '.messages | map(.body) | index("Where is my parcel?")' >/dev/null ||
  fail "the widget message is not in the inbox"
echo "the inbox shows the visitor's message"
done_step "signup, widget message, inbox"

say "the cloop CLI inside the container"
# As the docs show it: the password on standard input, never on the command line.
documented 'exec -T cloop cloop user:create'
printf 'another horse battery staple\n' |
  compose "$run_id" exec -T cloop cloop user:create --email "cli-$run_id@example.com" --name 'From the CLI' | jq -c .
api POST "$base/api/v1/auth/login" "{\"email\":\"cli-$run_id@example.com\",\"password\":\"another horse battery staple\"}" >/dev/null ||
  fail "the account the CLI made cannot sign in"
echo "the account made by the CLI signs in"
done_step "CLI"

say "backup (pg_dump) and restore into a fresh stack"
documented 'exec -T db pg_dump -U cloop -d cloop -Fc > cloop.dump'
compose "$run_id" exec -T db pg_dump -U cloop -d cloop -Fc >"$work/cloop.dump"
echo "dump: $(stat -c %s "$work/cloop.dump") bytes"
compose "$run_id" down -v -t 30
restore="${run_id}restore"
documented 'up -d db'
documented 'exec -T db pg_restore -U cloop -d cloop --no-owner --exit-on-error < cloop.dump'
compose "$restore" up -d db
wait_healthy "$(cid "$restore" db)"
compose "$restore" exec -T db pg_restore -U cloop -d cloop --no-owner --exit-on-error <"$work/cloop.dump"
compose "$restore" up -d
wait_healthy "$(cid "$restore" cloop)"
token="$(api POST "$base/api/v1/auth/login" "{\"email\":\"$email\",\"password\":\"correct horse battery staple\"}" | jq -r .accessToken)"
api GET "$base/api/v1/sites/$site_id/conversations/$conversation" "" "$token" | jq -e '.messages | map(.body) | index("Where is my parcel?")' >/dev/null ||
  fail "the restored stack lost the conversation"
echo "restored: the same account signs in and sees the same conversation"
done_step "pg_dump, restore into a fresh stack"

# ---------------------------------------------------------------------------------------------
say "replicas profile: recreate both replicas while a client keeps sending"
project="$restore"
documented '--profile replicas up -d --build'
compose "$project" --profile replicas up -d --build >"$work/up.log" 2>&1 || { tail -30 "$work/up.log"; fail "replicas up"; }
wait_healthy "$(cid "$project" cloop-2)"
wait_healthy "$(cid "$project" proxy)"
proxy="http://127.0.0.1:$proxy_port"
curl -sf "$proxy/api/ready" >/dev/null || fail "the proxy does not reach Cloop"
address() { docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$1"; }
stop_file="$work/stop"
node "$repo/docker/test/traffic.mjs" "$proxy" "$site_key" https://shop.example "$stop_file" 4 >"$work/traffic.json" &
traffic=$!
sleep 5
for service in cloop-2 cloop; do
  old="$(cid "$project" "$service")" old_ip="$(address "$(cid "$project" "$service")")"
  # Docker would hand the new container the address just freed. On a busy host another container
  # often takes it first: a placeholder does so here (nothing listens on it), so the replica comes
  # back at a new address and nginx meets a stale one in its DNS cache, as it would in real life.
  compose "$project" --profile replicas stop "$service" 2>&1 | grep -v '^$' || true
  # Drained and closed within the stop grace period: exit 0, not Docker's SIGKILL (137).
  [ "$(docker inspect -f '{{.State.ExitCode}}' "$old")" = 0 ] ||
    { docker logs --tail 20 "$old"; fail "$service did not stop cleanly (exit $(docker inspect -f '{{.State.ExitCode}}' "$old"))"; }
  docker run -d --label "cloop.e2e=$run_id" --name "$run_id-placeholder-$service" --network "${project}_default" \
    --entrypoint sleep "$image" infinity >/dev/null
  # The upgrade itself (docs/self-hosting.md, "Upgrade"): a new container for the replica.
  documented "--profile replicas up -d --no-deps --force-recreate $service"
  compose "$project" --profile replicas up -d --no-deps --force-recreate "$service" 2>&1 | grep -v '^$' || true
  new="$(cid "$project" "$service")"
  wait_healthy "$new"
  new_ip="$(address "$new")"
  echo "$service: $old_ip -> $new_ip (container ${old:0:12} -> ${new:0:12})"
  [ "$new_ip" != "$old_ip" ] || fail "$service came back at its old address: the test proves nothing"
  sleep 6
done
docker rm -f "$run_id-placeholder-cloop" "$run_id-placeholder-cloop-2" >/dev/null
touch "$stop_file"
wait "$traffic" || fail "the traffic client failed"
# Which replica answered: each logs its requests (one JSON line each).
for service in cloop cloop-2; do
  echo "$service (recreated) answered $(docker logs "$(cid "$project" "$service")" 2>&1 | grep -c '/api/v1/widget/messages') widget message requests"
done
jq -c '{requests, seconds, failures: (.failures | length), stored: (.stored | length)}' "$work/traffic.json"
if [ "$(jq '.failures | length' "$work/traffic.json")" != 0 ]; then
  jq -c '.failures[:20][]' "$work/traffic.json"
  fail "requests failed through the proxy while replicas were recreated"
fi
jq -r '.stored[]' "$work/traffic.json" | sort >"$work/sent"
compose "$project" exec -T db psql -U cloop -d cloop -Atc "SELECT client_message_id FROM messages WHERE author = 'visitor'" |
  sort >"$work/in-db"
lost="$(comm -23 "$work/sent" "$work/in-db" | wc -l)"
echo "messages acknowledged: $(wc -l <"$work/sent"), missing from the database: $lost"
[ "$lost" = 0 ] || fail "$lost acknowledged messages are not in the database"
# The recreated replicas serve: with the first one stopped, every request goes to the other one.
compose "$project" --profile replicas stop -t 30 cloop >/dev/null
for i in $(seq 1 20); do curl -sf -o /dev/null "$proxy/api/ready" || fail "request $i through the proxy failed with cloop stopped"; done
echo "20 of 20 requests answered by the recreated cloop-2 alone"
done_step "replicas: recreate under traffic"
compose "$project" --profile replicas down -v -t 30
done_step "down -v"

# ---------------------------------------------------------------------------------------------
say "embedded mode: docker run -v …:/data -p …:3000 on PGlite alone"
embedded_port=$(free_port)
docker run -d --name "$run_id-embedded" -v "$run_id-data:/data" -p "127.0.0.1:$embedded_port:3000" "$image" >/dev/null
wait_healthy "$run_id-embedded"
curl -sf "http://127.0.0.1:$embedded_port/api/ready" | jq -c .
api POST "http://127.0.0.1:$embedded_port/api/v1/auth/signup" \
  '{"email":"embedded@example.com","password":"correct horse battery staple","name":"Solo"}' >/dev/null
docker logs "$run_id-embedded" 2>&1 | grep -qi 'embedded' || fail "the embedded container does not say it runs on PGlite"
docker stop -t 30 "$run_id-embedded" >/dev/null
docker rm "$run_id-embedded" >/dev/null
docker volume rm "$run_id-data" >/dev/null
done_step "embedded mode"
