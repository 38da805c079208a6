#!/usr/bin/env bash
# Builds one libFuzzer target (with AddressSanitizer) and runs it.
#   fuzz/run.sh TARGET SECONDS     e.g. fuzz/run.sh yaml 60
# Targets are the folders of fuzz/Targets. The corpus lives in .build-fuzz/corpus-TARGET (seeded from
# Fixtures/ and fuzz/Seeds/TARGET); crashes are written to .build-fuzz/artifacts-TARGET/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:?usage: fuzz/run.sh TARGET SECONDS}"
seconds="${2:-60}"
[ -d "$root/fuzz/Targets/$target" ] || { echo "unknown target '$target'; one of: $(ls "$root/fuzz/Targets" | tr '\n' ' ')" >&2; exit 2; }
"$root/scripts/setup.sh"
work="$root/.build-fuzz"
pkg="$work/pkg"
mkdir -p "$pkg/Sources" "$work/artifacts-$target" "$work/corpus-$target"
# The fuzz package links the project's own module folders; it never copies them.
for module in "$root"/Sources/*; do ln -sfn "$module" "$pkg/Sources/$(basename "$module")"; done
ln -sfn "$root/Tests" "$pkg/Tests"
for t in "$root"/fuzz/Targets/*; do
  name="$(basename "$t")"
  mkdir -p "$pkg/Sources/fuzz-$name"
  ln -sfn "$t/main.swift" "$pkg/Sources/fuzz-$name/main.swift"
  sed "s/MODULE_main/fuzz_${name//-/_}_main/" "$root/fuzz/Driver.swift" > "$pkg/Sources/fuzz-$name/Driver.swift.new"
  cmp -s "$pkg/Sources/fuzz-$name/Driver.swift.new" "$pkg/Sources/fuzz-$name/Driver.swift" 2>/dev/null \
    && rm "$pkg/Sources/fuzz-$name/Driver.swift.new" || mv "$pkg/Sources/fuzz-$name/Driver.swift.new" "$pkg/Sources/fuzz-$name/Driver.swift"
done
python3 "$root/fuzz/make-package.py" "$root/Package.swift" "$root/fuzz/Targets" > "$pkg/Package.swift.new"
cmp -s "$pkg/Package.swift.new" "$pkg/Package.swift" 2>/dev/null || mv "$pkg/Package.swift.new" "$pkg/Package.swift"
rm -f "$pkg/Package.swift.new"
(cd "$pkg" && swift build -c release --product "fuzz-$target" \
   -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2)
corpus="$work/corpus-$target"
if [ -z "$(ls -A "$corpus")" ]; then
  seeds="$root/fuzz/Seeds/$target"
  [ -d "$seeds" ] && cp "$seeds"/* "$corpus"/ 2>/dev/null || true
  find "$root/Fixtures" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -size -64k -exec cp {} "$corpus"/ \; 2>/dev/null || true
fi
exec "$pkg/.build/release/fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$work/artifacts-$target/" -print_final_stats=1 "$corpus"
