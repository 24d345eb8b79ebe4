/** vega-lite spec → SVG text, rendered headless in Node (vega View with renderer 'none'; no browser). */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type VlSpec = TopLevelSpec;

export async function renderSvg(spec: VlSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
