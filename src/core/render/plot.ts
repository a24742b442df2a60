import * as Plot from '@observablehq/plot';

/**
 * Renders an Observable Plot chart to an SVG string. The caller supplies the `document` (the browser's,
 * or one from linkedom in Node: `parseHTML('<html></html>').document`), so core stays free of DOM globals.
 * @example plotToSvg(doc, { marks: [Plot.barY(data, { x: 'k', y: 'v' })] })
 */
export function plotToSvg(document: unknown, options: Plot.PlotOptions): string {
  const el = Plot.plot({ ...options, document: document as Document }) as unknown as { outerHTML: string; setAttribute?: (k: string, v: string) => void };
  el.setAttribute?.('xmlns', 'http://www.w3.org/2000/svg');
  return el.outerHTML;
}

export { Plot };
