/**
 * Distances between an agent state and the checker's exact equilibrium (DESIGN.md §4 `distance`).
 * Leakage:
 *  - prices: max_i |p_i − p*_i|; with communities, users of one block are exchangeable and the checker
 *    reports "the first m_g users of block g", so prices are compared block by block after sorting
 *    (the distance minimised over relabellings of exchangeable users);
 *  - sharers: |A △ A*|; with communities Σ_g |m_g − m*_g| (again minimised over relabellings).
 */
export interface Blocks {
  block: Int32Array;
  sizes: readonly number[];
  exchangeable: boolean;
}

export function leakagePriceDistance(b: Blocks, prices: ArrayLike<number>, exact: readonly number[]): number {
  let d = 0;
  if (!b.exchangeable) {
    for (let i = 0; i < exact.length; i++) d = Math.max(d, Math.abs(prices[i] - exact[i]));
    return d;
  }
  const K = b.sizes.length;
  const mine: number[][] = Array.from({ length: K }, () => []);
  const theirs: number[][] = Array.from({ length: K }, () => []);
  for (let i = 0; i < exact.length; i++) {
    mine[b.block[i]].push(prices[i]);
    theirs[b.block[i]].push(exact[i]);
  }
  for (let g = 0; g < K; g++) {
    const x = mine[g].sort((p, q) => q - p);
    const y = theirs[g].sort((p, q) => q - p);
    for (let k = 0; k < x.length; k++) d = Math.max(d, Math.abs(x[k] - y[k]));
  }
  return d;
}

export function leakageSharerDistance(b: Blocks, actions: ArrayLike<number>, exactSharers: readonly number[]): number {
  const n = actions.length;
  const exact = new Uint8Array(n);
  for (const i of exactSharers) exact[i] = 1;
  if (!b.exchangeable) {
    let d = 0;
    for (let i = 0; i < n; i++) if ((actions[i] ? 1 : 0) !== exact[i]) d++;
    return d;
  }
  const diff = new Array<number>(b.sizes.length).fill(0);
  for (let i = 0; i < n; i++) diff[b.block[i]] += (actions[i] ? 1 : 0) - exact[i];
  return diff.reduce((s, x) => s + Math.abs(x), 0);
}
