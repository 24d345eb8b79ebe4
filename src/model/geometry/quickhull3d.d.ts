/**
 * quickhull3d's package entry (dist/index.js) uses extensionless ESM imports that Node 20 cannot resolve; its
 * self-contained bundle dist/quickhull3d.js exports the same API. This declares that bundle's entry point.
 */
declare module 'quickhull3d/dist/quickhull3d.js' {
  /** Faces of the convex hull of `points`, each a list of point indices (counter-clockwise seen from outside). */
  export default function quickhull(points: Array<[number, number, number]>, options?: { skipTriangulation?: boolean }): number[][];
}
