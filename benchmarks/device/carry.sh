# Sourced (not run) by the device scripts, from the repository root: sets C to the carried folder made by
# prepare.sh: $CARRY if set, else benchmarks/target/device-carry, else benchmarks/target/device-carry.tar.xz
# unpacked into /tmp/sparker-carry (the device tool carries at most 64 MiB: the folder is over that, the
# archive under it).
C=${CARRY:-$PWD/benchmarks/target/device-carry}
if [ ! -d "$C" ] && [ -f "$PWD/benchmarks/target/device-carry.tar.xz" ]; then
  mkdir -p /tmp/sparker-carry
  tar -xJf "$PWD/benchmarks/target/device-carry.tar.xz" -C /tmp/sparker-carry
  C=/tmp/sparker-carry/device-carry
fi
