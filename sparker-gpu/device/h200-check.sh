#!/usr/bin/env bash
# Runs ON the GPU machine (no Java, no Maven there), from the repository root, with
# sparker-gpu/target/device-carry (made by prepare.sh) carried over. Writes everything it sees to
# $OUT/h200-report.txt (and the timing table to $OUT/h200-timing.md):
#   1. evidence of NVIDIA's OpenCL driver: nvidia-smi, /etc/OpenCL/vendors, libnvidia-opencl.so.1, libOpenCL;
#   2. fixes what can be fixed without root: an ICD file naming libnvidia-opencl.so.1 (OCL_ICD_VENDORS) and
#      the unversioned libOpenCL.so that JOCL opens (LD_LIBRARY_PATH);
#   3. the OpenCL tests and cross-checks against the scalar engine on the GPU (FLOAT 1e-5, DOUBLE 1e-12,
#      end-to-end t), through the JUnit launcher;
#   4. the step benchmark at N_R = 200 000, M in {50, 1000}, and a batch of 100 toys.
# Budget: about 8 minutes of commands; each stage has its own timeout.
set -uo pipefail
cd "$(dirname "$0")/../.."
C=$PWD/sparker-gpu/target/device-carry
OUT=${OUT:-/tmp/h200-out}
mkdir -p "$OUT"
REPORT=$OUT/h200-report.txt
exec > >(tee -a "$REPORT") 2>&1
say() { echo; echo "### $*"; }

if [ ! -x "$C/jre/bin/java" ]; then
  echo "missing $C/jre: run sparker-gpu/device/prepare.sh on the build machine and carry $C"; exit 2
fi
JAVA=$C/jre/bin/java
CP=$(sed "s#\\([^:]*\\)#$C/\\1#g" "$C/classpath.txt")

say "machine"
date -u; uname -a; nproc; free -g | head -2
nvidia-smi -L 2>&1 | head -4
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | head -3

say "OpenCL driver evidence"
ls -la /etc/OpenCL/vendors 2>&1
cat /etc/OpenCL/vendors/*.icd 2>&1
ldconfig -p 2>/dev/null | grep -i -E "libOpenCL|nvidia-opencl" || echo "ldconfig lists no libOpenCL / libnvidia-opencl"
NVCL=$(ldconfig -p 2>/dev/null | awk '/libnvidia-opencl\.so\.1/{print $NF; exit}')
if [ -z "$NVCL" ]; then
  NVCL=$(find /usr/lib /usr/lib64 /usr/local /lib /lib64 /usr/lib/x86_64-linux-gnu -maxdepth 4 \
    -name 'libnvidia-opencl.so.1*' 2>/dev/null | head -1)
fi
echo "libnvidia-opencl.so.1: ${NVCL:-not found}"
LOADER=$(ldconfig -p 2>/dev/null | awk '/libOpenCL\.so\.1 /{print $NF; exit}')
[ -z "$LOADER" ] && LOADER=$(find /usr/lib /usr/lib64 /usr/local /lib /lib64 -maxdepth 5 -name 'libOpenCL.so.1*' 2>/dev/null | head -1)
echo "ICD loader libOpenCL.so.1: ${LOADER:-not found}"

say "fixes"
if [ -n "$NVCL" ] && ! grep -qs nvidia /etc/OpenCL/vendors/*.icd; then
  mkdir -p "$C/icd"; echo "$NVCL" > "$C/icd/nvidia.icd"
  export OCL_ICD_VENDORS=$C/icd
  echo "no NVIDIA ICD file: using OCL_ICD_VENDORS=$OCL_ICD_VENDORS ($(cat "$C/icd/nvidia.icd"))"
fi
mkdir -p "$C/libcl"
if [ -n "$LOADER" ]; then
  ln -sf "$LOADER" "$C/libcl/libOpenCL.so"
  echo "JOCL opens libOpenCL.so: linked $C/libcl/libOpenCL.so -> $LOADER"
elif [ -n "$NVCL" ]; then
  ln -sf "$NVCL" "$C/libcl/libOpenCL.so"
  echo "no ICD loader: linked libOpenCL.so straight to $NVCL (works only if it exports the core API)"
fi
export LD_LIBRARY_PATH=$C/libcl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

JOPTS=(--enable-native-access=ALL-UNNAMED -Xmx8g -Dsparker.opencl.device=${SPARKER_OPENCL_DEVICE:-gpu})
say "devices JOCL sees"
timeout 60 "$JAVA" "${JOPTS[@]}" -cp "$CP" dev.sparker.gpu.tools.ListOpenClDevices

say "OpenCL tests and cross-checks on the GPU (fail, not skip, without a device)"
cd "$OUT"
SPARKER_REQUIRE_OPENCL=1 timeout 240 "$JAVA" "${JOPTS[@]}" -cp "$CP" dev.sparker.validation.gpu.RunOpenClChecks
echo "cross-check exit code: $?"
cd - >/dev/null

say "step benchmark, N_R = 200000, M in {50, 1000}, and a batch of 100 toys"
timeout 240 "$JAVA" "${JOPTS[@]}" -cp "$CP" dev.sparker.gpu.tools.OpenClStepTiming \
  --nr 200000 --m 50,1000 --toys 100 --seconds 2 --scalar true | tee "$OUT/h200-timing.md"
echo "benchmark exit code: ${PIPESTATUS[0]}"
