/**
 * Turns texts into vectors for similar applications and semantic search. `model` is the key the
 * vectors are stored under (provider and model name): vectors of two models are never compared.
 */
export interface Embedder {
  readonly model: string;
  /** Texts per call: providers cap the batch, and a smaller one bounds a failed call's cost. */
  readonly batchSize: number;
  /** Longer texts are cut to this many characters before embedding (context limits). */
  readonly maxChars: number;
  /** One vector per text, in order; null where a text has nothing to embed (no words). */
  embed(texts: string[], signal?: AbortSignal): Promise<(number[] | null)[]>;
}
