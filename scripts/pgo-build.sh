#!/bin/sh
# A profile-guided build of pledgesim, for long runs and large sweeps (see the speed section of
# docs/background/how-it-works.md): the same code and the same results, byte for byte, in fewer
# instructions.
#
#   scripts/pgo-build.sh            # writes target/pgo/release/pledgesim
#
# It builds pledgesim with instrumentation (in target/pgo-train), runs the shipped scenarios and
# the speed yardstick briefly to record which branches and calls the simulation takes, merges
# the profile with llvm-profdata, and builds again with the profile (in target/pgo). It needs
# the llvm-tools component of the toolchain in use (`rustup component add llvm-tools`), and
# takes two whole-program release builds' time. The ordinary `cargo build --release` is untouched.
set -eu
cd "$(dirname "$0")/.."

sysroot=$(rustc --print sysroot)
host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$sysroot/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
    echo "error: llvm-profdata not found at $profdata" >&2
    echo "       install it with: rustup component add llvm-tools" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$(pwd)
# Both builds optimise the whole program as one unit (fat link-time optimisation, one code
# generation unit), which the ordinary release build does not, to keep its build short.
export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1

echo "1/3 building with instrumentation (target/pgo-train)"
RUSTFLAGS="-Cprofile-generate=$work/profiles" CARGO_TARGET_DIR="$root/target/pgo-train" \
    cargo build --release --quiet
train="$root/target/pgo-train/release/pledgesim"

echo "2/3 recording a profile: the shipped scenarios and pledge-mini, briefly"
for case in scenarios/default.toml:2 scenarios/small.toml:3 scenarios/county-district.toml:2 \
    scenarios/london-borough.toml:1 scenarios/met-size.toml:1 benches/scenarios/pledge-mini.toml:3; do
    scenario=${case%:*}
    reps=${case##*:}
    if ! "$train" run "$scenario" --replications "$reps" --threads 1 --quiet \
        --out "$work/out/$(basename "$scenario" .toml)" >/dev/null 2>"$work/train.log"; then
        cat "$work/train.log" >&2
        exit 1
    fi
done
"$profdata" merge -o "$work/merged.profdata" "$work/profiles"

echo "3/3 building with the profile (target/pgo)"
RUSTFLAGS="-Cprofile-use=$work/merged.profdata" CARGO_TARGET_DIR="$root/target/pgo" \
    cargo build --release --quiet
echo "built target/pgo/release/pledgesim"
