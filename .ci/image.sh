#!/usr/bin/env bash
# Builds the ogcard container image with ko (no Docker daemon) into a
# tarball and checks it: the entrypoint is the ogcard binary, which is
# static (CGO_ENABLED=0), stamped with its version, and runs as the base
# image's non-root user.
#
# The base image (.ko.yaml: distroless static, nonroot) is pulled when the
# registry is reachable. Where it is not (this sandbox has no route to
# gcr.io), a stand-in base with the same user and no files is built as an
# OCI layout in ko's cache and named by digest, so everything ogcard adds
# is still built and checked; the script says which base it used.
set -euo pipefail
cd "$(dirname "$0")/.."

ko_version=v0.19.1
ko=$(command -v ko || true)
if [ -z "$ko" ]; then
  ko="$(go env GOPATH)/bin/ko"
  if [ ! -x "$ko" ]; then
    echo "image: installing ko $ko_version with go install (slow the first time)"
    go install "github.com/google/ko@$ko_version"
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar="$work/ogcard.tar"
export VERSION=ci-image KO_DOCKER_REPO=registry.invalid/ogcard

if "$ko" build --push=false --tarball="$tar" --bare ./cmd/ogcard >"$work/log" 2>&1; then
  echo "image: built on the base .ko.yaml names"
  want_user=""
else
  if ! grep -q "fetching base image" "$work/log"; then
    cat "$work/log"; exit 1
  fi
  echo "image: the base image cannot be pulled here; using a stand-in base (user 65532, no files)"
  layout="$work/cache/img"
  mkdir -p "$layout/blobs/sha256"
  put() { local d; d=$(printf '%s' "$1" | sha256sum | cut -d' ' -f1); printf '%s' "$1" >"$layout/blobs/sha256/$d"; echo "$d"; }
  cfg='{"architecture":"amd64","os":"linux","config":{"User":"65532:65532"},"rootfs":{"type":"layers","diff_ids":[]}}'
  cfg_digest=$(put "$cfg")
  man='{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:'$cfg_digest'","size":'${#cfg}'},"layers":[]}'
  man_digest=$(put "$man")
  printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d}]}' "$man_digest" "${#man}" >"$layout/index.json"
  KOCACHE="$work/cache" KO_DEFAULTBASEIMAGE="gcr.io/distroless/static-debian12@sha256:$man_digest" \
    "$ko" build --push=false --tarball="$tar" --bare ./cmd/ogcard >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
  want_user="65532:65532"
fi

mkdir "$work/x"
tar -xf "$tar" -C "$work/x"
python3 - "$work/x" "$want_user" <<'PY'
import json, os, sys, tarfile
root, want_user = sys.argv[1], sys.argv[2]
manifest = json.load(open(os.path.join(root, "manifest.json")))[0]
config = json.load(open(os.path.join(root, manifest["Config"])))["config"]
entry = config.get("Entrypoint")
assert entry == ["/ko-app/ogcard"], f"entrypoint {entry}"
user = config.get("User", "")
assert user not in ("", "0", "root", "0:0"), f"runs as {user!r}"
if want_user:
    assert user == want_user, f"user {user!r}, want {want_user!r}"
found = False
for layer in manifest["Layers"]:
    with tarfile.open(os.path.join(root, layer)) as t:
        for m in t.getmembers():
            if m.isfile() and m.name.lstrip("./") == "ko-app/ogcard":
                os.makedirs(os.path.join(root, "bin"), exist_ok=True)
                out = os.path.join(root, "bin", "ogcard")
                with open(out, "wb") as f:
                    f.write(t.extractfile(m).read())
                os.chmod(out, 0o755)
                found = True
assert found, "no ko-app/ogcard in the image's layers"
print(f"image: entrypoint {entry}, user {user}, {len(manifest['Layers'])} layers")
PY
bin="$work/x/bin/ogcard"
settings=$(go version -m "$bin")
grep -q 'CGO_ENABLED=0' <<<"$settings" || { echo "image: the binary was built with cgo"; echo "$settings"; exit 1; }
grep -q -- '-trimpath=true' <<<"$settings" || { echo "image: the binary was not built with -trimpath"; exit 1; }
got=$("$bin" version)
[ "$got" = "ogcard $VERSION" ] || { echo "image: 'ogcard version' printed '$got', want 'ogcard $VERSION'"; exit 1; }
echo "image: ok ($(du -h "$tar" | cut -f1) tarball; $got; static)"
