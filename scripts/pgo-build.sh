#!/usr/bin/env bash
# A profile-guided (PGO) release build of the `shenhe` binary, for large batches: the same
# source and the same results as `cargo build --release`, laid out by the compiler for the
# branches real disclosures take (see docs/dev/performance.md for what it gains).
#
# 1. builds an instrumented binary (`-Cprofile-generate`);
# 2. trains it: `shenhe check` on every committed real document (examples/ and tests/corpus/:
#    the seed text, the corpus PDFs and their three pdftotext forms), once in each report
#    format, with the bundled rule pack;
# 3. merges the profiles with the toolchain's llvm-profdata (`rustup component add llvm-tools`);
# 4. builds the optimised binary (`-Cprofile-use`);
# 5. checks that the optimised binary's reports on the training documents are byte-identical
#    to the instrumented one's, in every format (both are built from the same source).
#
# Both builds use their own target directories under the cargo target directory
# (`pgo-generate/`, `pgo/`), so the ordinary release build's cache is left alone. Each is a full
# release build with fat LTO: about 3 minutes of CPU time on this project's 2-core machines.
#
# Usage: scripts/pgo-build.sh        prints the optimised binary's path on its last line
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
mkdir -p "$target"
target=$(cd "$target" && pwd)
gen_dir=$target/pgo-generate
use_dir=$target/pgo
profiles=$target/pgo-profiles
merged=$target/pgo-profiles.profdata

host=$(rustc -vV | sed -n 's/^host: //p')
profdata=$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata
if [ ! -x "$profdata" ]; then
    echo "pgo-build: $profdata not found; install it with: rustup component add llvm-tools" >&2
    exit 2
fi

# The training documents: every real document the repository holds.
docs=("$root/examples" "$root/tests/corpus")
formats=(json human sarif junit html)

# The caller's own RUSTFLAGS are kept; the profile flags are added to them.
base_flags=${RUSTFLAGS:-}

echo "pgo-build: 1/4 instrumented build ($gen_dir)" >&2
RUSTFLAGS="$base_flags -Cprofile-generate=$profiles" \
    cargo build --release --locked -p shenhe-cli --target-dir "$gen_dir"

echo "pgo-build: 2/4 training on ${docs[*]}" >&2
rm -rf "$profiles" "$merged"
mkdir -p "$profiles"
reference=$(mktemp -d)
trap 'rm -rf "$reference"' EXIT
# `check` exits 1 when a document has findings (the training documents do); 2 is an error.
run() {
    local bin=$1 format=$2 out=$3 status=0
    "$bin" check "${docs[@]}" --format "$format" --no-progress --jobs 1 --output "$out" \
        >/dev/null 2>"$out.log" || status=$?
    if [ "$status" -gt 1 ]; then
        echo "pgo-build: shenhe check --format $format failed (exit $status):" >&2
        cat "$out.log" >&2
        exit 2
    fi
}
for format in "${formats[@]}"; do
    LLVM_PROFILE_FILE="$profiles/%m_%p.profraw" \
        run "$gen_dir/release/shenhe" "$format" "$reference/$format"
done

echo "pgo-build: 3/4 merging the profiles ($merged)" >&2
"$profdata" merge -o "$merged" "$profiles"

echo "pgo-build: 4/4 optimised build ($use_dir)" >&2
RUSTFLAGS="$base_flags -Cprofile-use=$merged" \
    cargo build --release --locked -p shenhe-cli --target-dir "$use_dir"

bin=$use_dir/release/shenhe
check=$(mktemp -d)
trap 'rm -rf "$reference" "$check"' EXIT
for format in "${formats[@]}"; do
    run "$bin" "$format" "$check/$format"
    if ! cmp -s "$reference/$format" "$check/$format"; then
        echo "pgo-build: the optimised binary's $format report differs from the instrumented one's" >&2
        exit 1
    fi
done
echo "pgo-build: done; reports identical in ${formats[*]}" >&2
echo "$bin"
