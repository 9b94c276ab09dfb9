# Sourced (not run) by the device scripts: points OpenCL at NVIDIA's driver on the GPU machine.
# NVIDIA's OpenCL library there has no ICD file: a one-line .icd naming it goes into $OUT/icd and
# OCL_ICD_VENDORS points at that folder; JOCL opens "libOpenCL.so", so a link named that way to the CUDA
# toolkit's ICD loader goes into $OUT/libcl, first on LD_LIBRARY_PATH. Where those files do not exist (a
# PoCL machine) the system's OpenCL set-up is used unchanged. Needs OUT; honours NVIDIA_OPENCL and
# OPENCL_LOADER.
NVCL=${NVIDIA_OPENCL:-/usr/local/nvidia/lib64/libnvidia-opencl.so.1}
LOADER=${OPENCL_LOADER:-/usr/local/cuda/targets/x86_64-linux/lib/libOpenCL.so.1}
if [ -e "$NVCL" ]; then
  mkdir -p "$OUT/icd"
  echo "$NVCL" > "$OUT/icd/nvidia.icd"
  export OCL_ICD_VENDORS=$OUT/icd
  echo "OCL_ICD_VENDORS=$OCL_ICD_VENDORS: $(cat "$OUT/icd/nvidia.icd")"
else
  echo "no $NVCL: the system's OpenCL vendors ($(ls /etc/OpenCL/vendors 2>/dev/null | tr '\n' ' '))"
fi
if [ -e "$LOADER" ]; then
  mkdir -p "$OUT/libcl"
  ln -sf "$LOADER" "$OUT/libcl/libOpenCL.so"
  export LD_LIBRARY_PATH=$OUT/libcl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  echo "libOpenCL.so -> $LOADER (LD_LIBRARY_PATH=$LD_LIBRARY_PATH)"
else
  echo "no $LOADER: JOCL opens the system's libOpenCL.so"
fi
