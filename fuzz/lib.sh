# Shared by run.sh and smoke.sh (sourced, not run): builds the fuzz package and seeds corpora.
# The fuzz package lives in .build-fuzz/pkg and links the project's own module folders; it never
# copies them. Each fuzz target is `fuzz-NAME`, built in release with libFuzzer and AddressSanitizer.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/.build-fuzz"
pkg="$work/pkg"

fuzz_targets() { ls "$root/fuzz/Targets"; }

fuzz_prepare() {
  "$root/scripts/setup.sh"
  mkdir -p "$pkg/Sources"
  for module in "$root"/Sources/*; do ln -sfn "$module" "$pkg/Sources/$(basename "$module")"; done
  ln -sfn "$root/Tests" "$pkg/Tests"
  # Targets with a custom path outside Sources/ (the embedding example) must resolve there too.
  ln -sfn "$root/Examples" "$pkg/Examples"
  local t name
  for t in "$root"/fuzz/Targets/*; do
    name="$(basename "$t")"
    mkdir -p "$pkg/Sources/fuzz-$name"
    ln -sfn "$t/main.swift" "$pkg/Sources/fuzz-$name/main.swift"
    sed "s/MODULE_main/fuzz_${name//-/_}_main/" "$root/fuzz/Driver.swift" > "$pkg/Sources/fuzz-$name/Driver.swift.new"
    # Rewrite only on change, so SwiftPM's incremental build stays incremental.
    if cmp -s "$pkg/Sources/fuzz-$name/Driver.swift.new" "$pkg/Sources/fuzz-$name/Driver.swift" 2>/dev/null; then
      rm "$pkg/Sources/fuzz-$name/Driver.swift.new"
    else
      mv "$pkg/Sources/fuzz-$name/Driver.swift.new" "$pkg/Sources/fuzz-$name/Driver.swift"
    fi
  done
  python3 "$root/fuzz/make-package.py" "$root/Package.swift" "$root/fuzz/Targets" > "$pkg/Package.swift.new"
  if cmp -s "$pkg/Package.swift.new" "$pkg/Package.swift" 2>/dev/null; then rm "$pkg/Package.swift.new"; else mv "$pkg/Package.swift.new" "$pkg/Package.swift"; fi
}

fuzz_build() { # TARGET
  (cd "$pkg" && swift build -c release --product "fuzz-$1" \
     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2)
}

fuzz_binary() { echo "$pkg/.build/release/fuzz-$1"; }

# Seeds: fuzz/Seeds/TARGET always (new seeds are added to an existing corpus); the document targets
# also get the YAML/JSON fixtures (small ones) and the hostile corpus.
fuzz_seed() { # TARGET
  local corpus="$work/corpus-$1"
  mkdir -p "$corpus" "$work/artifacts-$1"
  if [ -d "$root/fuzz/Seeds/$1" ]; then
    find "$root/fuzz/Seeds/$1" -type f -exec cp -n {} "$corpus"/ \; 2>/dev/null || true
  fi
  case "$1" in
    yaml|arazzo)
      find "$root/Fixtures" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.bin' \) -size -64k \
        -exec cp -n {} "$corpus"/ \; 2>/dev/null || true ;;
  esac
}

# Runs TARGET for SECONDS on its corpus; extra libFuzzer flags follow. A target's own flags are in
# fuzz/Targets/TARGET/flags (one line). Leak detection is off: LeakSanitizer reports the targets'
# lazily initialised Swift globals (their fixed contexts) at exit and Foundation's
# NSRegularExpression keeps a few hundred bytes per compiled pattern, so every target "fails" with
# false positives; memory growth is caught by -rss_limit_mb and -malloc_limit_mb instead.
fuzz_run() { # TARGET SECONDS [FLAGS...]
  local target="$1" seconds="$2"; shift 2
  local own=()
  if [ -f "$root/fuzz/Targets/$target/flags" ]; then read -r -a own < "$root/fuzz/Targets/$target/flags"; fi
  ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
  "$(fuzz_binary "$target")" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -detect_leaks=0 \
    -artifact_prefix="$work/artifacts-$target/" -print_final_stats=1 "${own[@]}" "$@" "$work/corpus-$target"
}
