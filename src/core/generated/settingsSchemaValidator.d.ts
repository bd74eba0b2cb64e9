// Types of the ajv settings validator compiled ahead of time by scripts/gen-schema.ts.
import type { ValidateFunction } from 'ajv';
export declare const validate: ValidateFunction;
export default validate;
