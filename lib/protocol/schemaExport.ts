/**
 * Entry point of `rxagent app-server generate-json-schema` / `generate-ts`: both exports of the
 * protocol, walked from the codecs.
 *
 * @example
 * await writeJsonSchema(outDir, experimental);
 * await writeTypeScript(outDir, experimental);
 */
export { generateJsonSchema, writeJsonSchema } from './jsonSchema.js';
export { generateTypeScript, writeTypeScript } from './typescript.js';
