import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CholeskyDecomposition, Matrix, inverse, solve } from 'ml-matrix';
import {
  choleskyInPlace,
  choleskySolveInPlace,
  inverseGeneral,
  inverseSpd,
  matFrom,
  matMul,
  matToRows,
} from '../../src/model/linalg.js';

const unit = fc.integer({ min: -10_000, max: 10_000 }).map((k) => k / 10_000);

/** Random SPD matrix B Bᵀ + δ Id (δ ≥ 0.05 keeps the condition number moderate). */
const spdArb = fc.integer({ min: 1, max: 9 }).chain((k) =>
  fc
    .record({ b: fc.array(unit, { minLength: k * k, maxLength: k * k }), delta: fc.integer({ min: 50, max: 2000 }).map((k) => k / 1000), rhs: fc.array(unit, { minLength: k, maxLength: k }) })
    .map(({ b, delta, rhs }) => {
      const B = new Matrix(k, k);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) B.set(i, j, b[i * k + j]);
      const A = B.mmul(B.transpose()).add(Matrix.eye(k).mul(delta));
      return { k, A, rhs };
    }),
);

const flat = (m: Matrix): Float64Array => Float64Array.from(m.to1DArray());
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

describe('linalg kernels vs ml-matrix', () => {
  it('choleskyInPlace gives ml-matrix’s lower factor', () => {
    fc.assert(
      fc.property(spdArb, ({ k, A }) => {
        const l = flat(A);
        expect(choleskyInPlace(l, k)).toBe(true);
        const ref = new CholeskyDecomposition(A).lowerTriangularMatrix;
        expect(maxAbsDiff(l, flat(ref))).toBeLessThan(1e-10 * Math.max(1, A.max()));
      }),
      { numRuns: 200 },
    );
  });

  it('choleskyInPlace rejects a matrix that is not positive definite', () => {
    expect(choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
    expect(choleskyInPlace(Float64Array.from([0, 0, 0, 1]), 2)).toBe(false);
    expect(() => inverseSpd(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
  });

  it('choleskySolveInPlace solves A x = b like an LU solve', () => {
    fc.assert(
      fc.property(spdArb, ({ k, A, rhs }) => {
        const l = flat(A);
        choleskyInPlace(l, k);
        const x = Float64Array.from(rhs);
        choleskySolveInPlace(l, k, x);
        const ref = solve(A, Matrix.columnVector(rhs)).to1DArray();
        expect(maxAbsDiff(x, ref)).toBeLessThan(1e-8 * Math.max(1, ...ref.map(Math.abs)));
      }),
      { numRuns: 200 },
    );
  });

  it('inverseSpd and inverseGeneral match ml-matrix inverse', () => {
    fc.assert(
      fc.property(spdArb, ({ k, A }) => {
        const ref = flat(inverse(A));
        const scale = Math.max(1, ...Array.from(ref, Math.abs));
        expect(maxAbsDiff(inverseSpd(flat(A), k), ref)).toBeLessThan(1e-8 * scale);
        expect(maxAbsDiff(inverseGeneral(flat(A), k), ref)).toBeLessThan(1e-8 * scale);
      }),
      { numRuns: 200 },
    );
  });

  it('inverseGeneral inverts non-symmetric matrices (pivoting needed) and rejects singular ones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((k) => fc.tuple(fc.constant(k), fc.array(unit, { minLength: k * k, maxLength: k * k }))),
        ([k, e]) => {
          // Zero diagonal + k·Id on the anti-diagonal forces row exchanges and keeps it well conditioned.
          const A = new Matrix(k, k);
          for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) A.set(i, j, i === j ? 0 : e[i * k + j] / k);
          for (let i = 0; i < k; i++) if (k - 1 - i !== i) A.set(i, k - 1 - i, A.get(i, k - 1 - i) + 2);
          if (k % 2 === 1) A.set((k - 1) / 2, (k - 1) / 2, 2);
          const ref = flat(inverse(A));
          const scale = Math.max(1, ...Array.from(ref, Math.abs));
          expect(maxAbsDiff(inverseGeneral(flat(A), k), ref)).toBeLessThan(1e-8 * scale);
        },
      ),
      { numRuns: 200 },
    );
    expect(() => inverseGeneral(Float64Array.from([1, 2, 2, 4]), 2)).toThrow(/singular/);
  });

  it('matMul, matFrom and matToRows agree with ml-matrix mmul', () => {
    fc.assert(
      fc.property(spdArb, spdArb, ({ A }, { A: B0 }) => {
        const k = Math.min(A.rows, B0.rows);
        const a = A.subMatrix(0, k - 1, 0, k - 1);
        const b = B0.subMatrix(0, k - 1, 0, k - 1);
        const got = matToRows(matMul(matFrom(a.to2DArray()), matFrom(b.to2DArray())));
        const ref = a.mmul(b).to2DArray();
        expect(maxAbsDiff(got.flat(), ref.flat())).toBeLessThan(1e-12 * Math.max(1, ...ref.flat().map(Math.abs)));
      }),
      { numRuns: 100 },
    );
  });
});
