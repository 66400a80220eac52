#!/usr/bin/env bash
# Renders every overlay with `kubectl kustomize` and validates the result offline against the
# Kubernetes API schemas (validate.mjs). kubectl: the machine's, or Debian's kubernetes-client.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
models="${MODELS_DIR:-/var/cache/cloop-k8s-validate}"
if ! command -v kubectl >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client >/dev/null
fi
if [ ! -e "$models/node_modules/kubernetes-models/package.json" ]; then
  mkdir -p "$models"
  npm install --prefix "$models" --no-save --no-audit --no-fund kubernetes-models@5.1.0 yaml@2.9.1 >/dev/null
fi
for overlay in "$here"/overlays/*/; do
  echo "kubernetes: $(basename "$overlay")"
  kubectl kustomize "$overlay" | MODELS_DIR="$models" node "$here/validate.mjs"
done
