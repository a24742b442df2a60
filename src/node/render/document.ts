import { parseHTML } from 'linkedom';

/** A DOM document for rendering charts in Node (renderers in core take a document as an argument). */
export function nodeDocument(): unknown {
  return parseHTML('<!doctype html><html><head></head><body></body></html>').document;
}
