#!/usr/bin/env bash
# Builds the shipping binaries (default: arazzo-run and arazzo-run-mcp, the MCP server `serve`
# hands over to) and prints the directory that holds them.
#   scripts/build-release.sh [PRODUCT...]        e.g. scripts/build-release.sh arazzo-run arazzo-bench
# Release mode, the Swift runtime and Foundation linked statically (the binary runs on any glibc
# ≥ 2.36 machine without a Swift toolchain), linked by lld with packed relative relocations
# (DT_RELR). The executable stays position-independent (ASLR) while its ~32,000 relative
# relocations shrink from 2.7 MB of table, read and applied page by page at every start, to a
# 22 KB bitmap: faster start and ~2 MB less resident memory (docs/performance.md, figure 5).
# Every product is built with the same flags, so one scratch directory serves them all.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
products=("$@")
[ "${#products[@]}" -gt 0 ] || products=(arazzo-run arazzo-run-mcp)
# arazzo-run-mcp's statically linked runtime links FoundationNetworking (the MCP Swift SDK's HTTP
# client uses URLSession), which needs libcurl's linker name, libcurl.so, from Debian's -dev
# package. arazzo-run and arazzo-bench do not link it (decision MCP9).
if [[ " ${products[*]} " == *" arazzo-run-mcp "* ]] && ! dpkg -s libcurl4-openssl-dev >/dev/null 2>&1; then
  echo "build-release: installing libcurl4-openssl-dev" >&2
  sudo=""; if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libcurl4-openssl-dev >/dev/null
fi
flags=(-c release --static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs)
# Every function in a section of its own, so the linker can place the code a CLI process runs
# (scripts/arazzo-run.order.gz, made by scripts/update-symbol-order.sh) first and together: a
# process then faults in a few dense megabytes instead of 64 KB windows around calls scattered
# over 30 MB of text (docs/performance.md, figure 5). The list is copied under a name that
# carries its hash, so a new list changes the link command and the products are linked again.
flags+=(-Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections)
if [ -f scripts/arazzo-run.order.gz ]; then
  order_hash="$(sha256sum scripts/arazzo-run.order.gz | cut -c1-16)"
  order_file="$PWD/.build/symbol-order-$order_hash.txt"
  if [ ! -f "$order_file" ]; then
    mkdir -p .build
    gzip -dc scripts/arazzo-run.order.gz >"$order_file.tmp" && mv "$order_file.tmp" "$order_file"
  fi
  flags+=(-Xlinker "--symbol-ordering-file=$order_file" -Xlinker --no-warn-symbol-ordering)
fi
for product in "${products[@]}"; do
  swift build "${flags[@]}" --product "$product" >&2
done
swift build "${flags[@]}" --show-bin-path
