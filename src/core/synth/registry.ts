import { readArtifact, type Artifact } from '../artifact.js';
import { SynthopsError } from '../errors.js';
import { arf } from './arf.js';
import { cart } from './cart.js';
import { ctgan } from './ctgan.js';
import { gaussianCopula, independent } from './gaussian-copula.js';
import type { FittedSynthesizer, SynthesizerKind, SynthesizerPayload } from './synthesizer.js';
import { tvae } from './tvae.js';

/**
 * Every registered synthesizer kind, in the order they are listed to users. To add one, import its
 * `SynthesizerKind` and append it here (one line).
 */
export const SYNTHESIZERS: SynthesizerKind[] = [independent, gaussianCopula, cart, arf, tvae, ctgan];

/** The default synthesizer of `synthops generate` and `fit`: `cart`, the best on the fidelity scorecard. */
export const DEFAULT_SYNTHESIZER = 'cart';

/**
 * Finds a registered kind by name or throws `not_found` listing the known ones.
 * @example synthesizerKind('gaussian-copula').create({ k: 5 })
 */
export function synthesizerKind(kind: string): SynthesizerKind {
  const k = SYNTHESIZERS.find((s) => s.kind === kind);
  if (!k) throw new SynthopsError('not_found', `invalid synthesizer: "${kind}". Use one of ${SYNTHESIZERS.map((s) => s.kind).join(', ')}.`);
  return k;
}

/**
 * Loads a saved synthesizer (parsed JSON) of any registered kind. `source` names the file in messages.
 * Throws `incompatible_artifact` for files that are not synthesizers or have an unreadable version.
 */
export function loadSynthesizer(value: unknown, source = 'artifact'): FittedSynthesizer {
  const head = readArtifact<SynthesizerPayload>(value, /^synthesizer\//, [Number((value as { kindVersion?: number })?.kindVersion)], source);
  const kind = synthesizerKind(head.kind.slice('synthesizer/'.length));
  const art = readArtifact<SynthesizerPayload>(value, head.kind, kind.readableVersions, source) as Artifact<SynthesizerPayload>;
  return kind.load(art);
}
