/**
 * A trainable tensor: values and the gradient accumulated into them by backward passes (same length).
 * @example const p = param('w', 4 * 3); p.grad.fill(0);
 */
export interface Param {
  name: string;
  data: Float32Array;
  grad: Float32Array;
}

/** A zero-initialised parameter of `size` values. */
export function param(name: string, size: number): Param {
  return { name, data: new Float32Array(size), grad: new Float32Array(size) };
}
