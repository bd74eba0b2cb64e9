/**
 * The public core API: the model format, the layer catalogue, loading and saving, analysis (shapes,
 * params, diagnostics), templates and summaries. Pure TypeScript: no vscode, no DOM, no tfjs.
 *
 * Note for browser bundles: `parseModelText` compiles the JSON Schema with ajv on first use, which
 * generates code (`new Function`); a webview with a strict CSP should receive parsed models from the
 * host instead. Everything else here is plain data and functions.
 */
export * from './format';
export * from './catalogue';
export * from './diagnostics';
export type * from './analysis';
export type * from './modelEdit';
export { parseModelText, type ParseResult } from './loader';
export { serializeModel } from './serialize';
export { buildModelSchema, type JsonSchema } from './schema';
export { MIGRATIONS, migrateToCurrent, type Migration } from './migrations';
export { analyzeModel } from './shapeInference';
export { convOutputLength, deconvLength, formatShape } from './layerShapes';
export { checkParamValue, checkParams, type ResolvedParams } from './paramCheck';
export { TEMPLATES, createModelFromTemplate, UnknownTemplateError, type TemplateInfo } from './templates';
export { formatSummary, summaryJson, readableMemorySize, formatCount, type SummaryJson } from './summary';
export { idPrefixForType, isValidNodeId, NODE_ID_PATTERN, NODE_ID_RULE, uniqueNodeId } from './nodeIds';
