#!/usr/bin/env bash
# Fuzzes every cargo-fuzz target of native/core/fuzz for the given seconds each (default 60), then
# prints executions, coverage and crashes per target. Inputs start from the committed corpus in
# testdata/fuzz/<target>/; new ones go to native/core/fuzz/corpus/<target>/ (not committed).
# Crashing inputs are copied to testdata/fuzz/crashes/<target>/, and the script then fails.
#
#   scripts/fuzz.sh [seconds]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain
# (`rustup toolchain install nightly --profile minimal`); without nightly, stable runs with
# RUSTC_BOOTSTRAP=1 for the sanitizer flags.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
core="$root/native/core"
seeds="$root/testdata/fuzz"
targets=(decode_message decode_stream decode_routes round_trip)

# Longest input per target: one message of 4,096 octets (or more, to cross the limit) plus the
# context octet; streams and bursts hold several.
max_len() {
  case "$1" in
    decode_message | round_trip) echo 4200 ;;
    *) echo 16384 ;;
  esac
}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: cargo-fuzz is missing: cargo install cargo-fuzz" >&2
  exit 1
fi
if rustup run nightly rustc --version >/dev/null 2>&1; then
  cargo=(cargo +nightly)
else
  echo "fuzz.sh: no nightly toolchain, using stable with RUSTC_BOOTSTRAP=1" >&2
  export RUSTC_BOOTSTRAP=1
  cargo=(cargo +stable)
fi

cd "$core"
"${cargo[@]}" fuzz build -O

log_dir="$(mktemp -d)"
trap 'rm -rf "$log_dir"' EXIT
summary=()
crashed=0
for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  artifacts="fuzz/artifacts/$target"
  mkdir -p "$corpus" "$artifacts" "$seeds/$target"
  before="$(ls "$artifacts" | sort)"
  echo "== $target: $seconds s"
  status=0
  "${cargo[@]}" fuzz run -O "$target" "$corpus" "$seeds/$target" -- \
    -max_total_time="$seconds" -max_len="$(max_len "$target")" -print_final_stats=1 \
    >"$log_dir/$target.log" 2>&1 || status=$?
  runs="$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log_dir/$target.log" | awk '{print $2}' | tail -1)"
  coverage="$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log_dir/$target.log" | tail -1)"
  new_artifacts="$(comm -13 <(echo "$before") <(ls "$artifacts" | sort) | grep -v '^$' || true)"
  if [[ $status -ne 0 || -n "$new_artifacts" ]]; then
    crashed=1
    mkdir -p "$seeds/crashes/$target"
    for artifact in $new_artifacts; do cp "$artifacts/$artifact" "$seeds/crashes/$target/"; done
    grep -E -A12 "panicked|ERROR: (libFuzzer|AddressSanitizer)" "$log_dir/$target.log" | head -40 || true
    summary+=("$target: ${runs:-?} runs, ${coverage:-no coverage line}, CRASH (exit $status): ${new_artifacts:-no artifact}")
  else
    summary+=("$target: ${runs:-?} runs, ${coverage:-no coverage line}, no crash")
  fi
done

echo
printf '%s\n' "${summary[@]}"
exit "$crashed"
