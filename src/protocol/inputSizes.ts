import * as z from 'zod/mini';

/** Largest size a user may give one input dim (bounds the work a typo can cause). */
export const maxInputDim = 1_000_000;

/**
 * Sizes the user set for dynamic input dims, by input name: one entry per dim, a positive
 * integer or null (not set: the model's or the default size is used).
 */
export const givenSizesSchema = z.record(
  z.string().check(z.maxLength(10_000)),
  z.array(z.nullable(z.int().check(z.gte(1), z.lte(maxInputDim)))).check(z.maxLength(64)),
).check(z.refine((sizes) => Object.keys(sizes).length <= 1000, 'at most 1000 inputs'));
export type GivenInputSizes = z.infer<typeof givenSizesSchema>;
