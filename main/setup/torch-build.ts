/** The PyTorch wheel indexes, newest CUDA first: the build a driver can run is the newest ≤ its CUDA. */
const TORCH_CUDA_BUILDS: ReadonlyArray<{ readonly tag: string; readonly cuda: number }> = [
  { tag: 'cu128', cuda: 12.8 },
  { tag: 'cu126', cuda: 12.6 },
  { tag: 'cu124', cuda: 12.4 },
  { tag: 'cu121', cuda: 12.1 },
  { tag: 'cu118', cuda: 11.8 },
];

/** Which torch build fits a driver: its wheel tag and the pip command (CPU build without a driver). */
export function torchBuildFor(driverCuda: string | null): { readonly tag: string; readonly pip: string } {
  const cuda = driverCuda === null ? Number.NaN : Number.parseFloat(driverCuda);
  const build = Number.isNaN(cuda) ? undefined : TORCH_CUDA_BUILDS.find((b) => b.cuda <= cuda + 1e-9);
  const tag = build?.tag ?? 'cpu';
  return { tag, pip: `pip install torch --index-url https://download.pytorch.org/whl/${tag}` };
}
