#!/usr/bin/env bash
# Renders the Helm chart into plain manifests, one file per template, for people who do not use Helm.
# Usage: deploy/render-manifests.sh [output-dir]   (default deploy/kubernetes; HELM=path overrides helm)
# tests/MailIngest.Deploy.Tests runs this script and fails when the committed files differ from its output.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/deploy/kubernetes}"
helm="${HELM:-helm}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$helm" template mailingest "$root/helm/mailingest" --namespace mailingest \
  -f "$root/deploy/manifests-values.yaml" --output-dir "$work" >/dev/null

mkdir -p "$out"
rm -f "$out"/*.yaml
for file in "$work"/mailingest/templates/*.yaml; do
  cp "$file" "$out/$(basename "$file")"
done
