import { describe, expect, it } from 'vitest';
import { pointsNear } from '../../src/engine/listedSets.js';
import { rolesAt } from '../../src/model/intermediation/index.js';

const close = (a: number[], b: number[]) => a.forEach((x, k) => expect(x).toBeCloseTo(b[k], 12));

describe('pointsNear: points of a listed set nearest the run (by hand)', () => {
  it('a continuum: its type clamped to [from, to], the others as reported', () => {
    const entry = { records: [0.3, 0.2, 0.1], continuum: { type: 1, from: 0.2, to: 0.7 } };
    close(pointsNear(entry, [0.31, 0.9, 0.1])[0], [0.3, 0.7, 0.1]);
    close(pointsNear(entry, [0.3, 0.5, 0.12])[0], [0.3, 0.5, 0.1]);
    close(pointsNear(entry, [0.3, 0, 0.1])[0], [0.3, 0.2, 0.1]);
  });

  it('a region: the extents box, and the nearest point of its segment', () => {
    const region = { types: [1, 2], lower: [0.1, 0.2], upper: [0.4, 0.5] };
    const entry = { records: [1, 0.3, 0.3], region: { ...region, segment: { from: [1, 0.1, 0.5], to: [1, 0.4, 0.2], cone: false } } };
    const [box, seg] = pointsNear(entry, [1, 0.05, 0.45]);
    close(box, [1, 0.1, 0.45]);
    // from + s·(0, 0.3, −0.3) with s = ⟨q − from, d⟩/|d|² = (0.3·(−0.05) − 0.3·(−0.05))/0.18 = 0
    close(seg, [1, 0.1, 0.5]);
    // q − from = (0, 0, −0.3): s = 0.09/0.18 = 1/2
    close(pointsNear(entry, [1, 0.1, 0.2])[1], [1, 0.25, 0.35]);
    // a cone: only the box
    expect(pointsNear({ records: [1, 0.3, 0.3], region: { ...region, segment: { from: [1, 0.1, 0.5], to: [1, 0.4, 0.2], cone: true } } }, [1, 0, 0])).toHaveLength(1);
  });

  it('a ray (the cone over a segment of length 0): the nearest point of the ray, clamped to its extents', () => {
    // z = (0, 0.28, 0.56), types 1 and 2 moving, extents up to (0.42, 0.84)
    const z = [0, 0.28, 0.56];
    const entry = { records: z, region: { types: [1, 2], lower: [0, 0], upper: [0.42, 0.84], segment: { from: z, to: z, cone: true } } };
    // λ = ⟨q, z⟩/|z|² = (0.1·0.28 + 0.2·0.56)/(0.28² + 0.56²) = 0.14/0.392 = 5/14
    close(pointsNear(entry, [0, 0.1, 0.2])[1], [0, 0.1, 0.2]);
    close(pointsNear(entry, [0, 0.2, 0.2])[1], [0, (0.168 / 0.392) * 0.28, (0.168 / 0.392) * 0.56]);
    // beyond the box: the top of the ray
    close(pointsNear(entry, [0, 1, 2])[1], [0, 0.42, 0.84]);
  });

  it('a point entry proposes itself', () => {
    expect(pointsNear({ records: [0.3, 0.6] }, [0.2, 0.1])).toEqual([[0.3, 0.6]]);
  });
});

describe('rolesAt: the pattern of a point', () => {
  it('0 sells nothing, q̄ sells everything, anything between is indifferent', () => {
    expect(rolesAt([0, 0.2, 0.5, 0.5 - 1e-12], [0.3, 0.3, 0.5, 0.5])).toEqual(['zero', 'interior', 'full', 'interior']);
  });
});
