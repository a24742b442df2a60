/**
 * Element-wise activations with their backward passes, in place on Float32Arrays.
 * Forward functions overwrite `x` with the activation and return it; backward functions turn the upstream
 * gradient `dy` into the gradient with respect to the activation's input, using the saved forward output `y`.
 * @example reluForward(h, n * 128); ...; reluBackward(dh, h, n * 128);
 */
export function reluForward(x: Float32Array, len: number): Float32Array {
  for (let i = 0; i < len; i++) if (x[i] < 0) x[i] = 0;
  return x;
}

/** dy ← dy · [y > 0]. */
export function reluBackward(dy: Float32Array, y: Float32Array, len: number): void {
  for (let i = 0; i < len; i++) if (!(y[i] > 0)) dy[i] = 0;
}

/** x ← max(x, slope·x) (LeakyReLU, slope default 0.2 as in CTGAN's critic). */
export function leakyReluForward(x: Float32Array, len: number, slope = 0.2): Float32Array {
  for (let i = 0; i < len; i++) if (x[i] < 0) x[i] *= slope;
  return x;
}

/** dy ← dy · (y > 0 ? 1 : slope). */
export function leakyReluBackward(dy: Float32Array, y: Float32Array, len: number, slope = 0.2): void {
  for (let i = 0; i < len; i++) if (!(y[i] > 0)) dy[i] *= slope;
}
