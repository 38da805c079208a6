#!/usr/bin/env bash
# Counts `public`/`open` declarations per module under Sources/ (a line-based count: one per
# declaration line, `public import` lines excluded), and the total an embedder of `Arazzo` sees
# through its re-exports. Usage: scripts/public-surface.sh [module…]
set -euo pipefail
cd "$(dirname "$0")/.."
decl='^\s*(@[A-Za-z_]+(\([^)]*\))?\s+)*((nonisolated|final|static|override|mutating|indirect|convenience|required)\s+)*(public|open)(\(set\))?\s'
count() {
  { grep -rhE "$decl" "Sources/$1" --include='*.swift' || true; } | grep -vcE '^\s*(@_exported\s+)?public\s+import\s' || true
}
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
  for dir in Sources/*/; do modules+=("$(basename "$dir")"); done
fi
total=0
for module in "${modules[@]}"; do
  n="$(count "$module")"
  total=$((total + n))
  printf '%-20s %5d\n' "$module" "$n"
done
printf '%-20s %5d\n' "total" "$total"
# What `import Arazzo` puts in scope: whole-module re-exports count every public declaration of
# that module; scoped ones (`import struct M.T`) count only the named declarations.
whole=0
while read -r module; do whole=$((whole + $(count "$module"))); done < <(
  grep -hE '^@_exported\s+public\s+import\s+[A-Za-z_]+\s*$' Sources/Arazzo/*.swift | awk '{print $NF}')
scoped="$(grep -hcE '^@_exported\s+public\s+import\s+(struct|class|enum|protocol|typealias|func|var|let)\s' Sources/Arazzo/Exports.swift || true)"
echo "re-exported by Arazzo: $whole (whole modules) + $scoped (scoped declarations)"
