# Sourced (not run) by the device scripts, from the repository root: sets C to the carried folder made by
# prepare.sh: $CARRY if set, else benchmarks/target/device-carry, else benchmarks/target/device-carry.tar.xz
# unpacked into /tmp/sparker-carry (the device tool carries at most 64 MiB: the folder is over that, the
# archive under it). Also sets JAVA (the carried runtime's java) and defines need_carry JAR, which stops the
# calling script with exit code 2 when the runtime or JAR is not in the carried folder.
C=${CARRY:-$PWD/benchmarks/target/device-carry}
if [ -z "${CARRY:-}" ] && [ ! -d "$C" ] && [ -f "$PWD/benchmarks/target/device-carry.tar.xz" ]; then
  mkdir -p /tmp/sparker-carry
  tar -xJf "$PWD/benchmarks/target/device-carry.tar.xz" -C /tmp/sparker-carry
  C=/tmp/sparker-carry/device-carry
fi
JAVA=$C/jre/bin/java
need_carry() {
  if [ ! -x "$JAVA" ] || [ ! -f "$C/$1" ]; then
    echo "missing $C/jre or $C/$1: run benchmarks/device/prepare.sh on the build machine and carry benchmarks/target/device-carry.tar.xz"
    exit 2
  fi
}
