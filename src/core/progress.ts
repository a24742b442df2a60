/** A progress report from long work; edges turn it into progress bars. */
export interface Progress {
  /** What is happening, e.g. 'fit', 'sample', 'epoch', 'metric'. */
  stage: string;
  /** Units done so far and in total (total may be unknown). */
  done: number;
  total?: number;
  /** Short human text, e.g. 'column 3/15: age' or 'loss 0.413'. Never contains row values. */
  message?: string;
  /** Named figures to show (losses, scores). */
  figures?: Record<string, number>;
}

/** Options every long-running core operation accepts. */
export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}
