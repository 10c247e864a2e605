import type { DynamicToolSpec } from '../protocol/index.js';

/**
 * Checks `thread/start.dynamicTools` as the reference does (SPEC §11.1); returns the message of
 * the first problem, or `undefined`.
 *
 * @example
 * dynamicToolsProblem([{ name: 'mcp__x', description: '', inputSchema: {} }]); // 'dynamic tool name is reserved: mcp__x'
 */
export const dynamicToolsProblem = (tools: readonly DynamicToolSpec[]): string | undefined => {
  const seen = new Set<string>();
  for (const tool of tools) {
    const name = tool.name;
    if (name.trim() === '') return 'dynamic tool name must not be empty';
    if (name.trim() !== name) return `dynamic tool name has leading/trailing whitespace: ${name}`;
    if (name === 'mcp' || name.startsWith('mcp__')) return `dynamic tool name is reserved: ${name}`;
    if (seen.has(name)) return `duplicate dynamic tool name: ${name}`;
    seen.add(name);
    const schema = tool.inputSchema;
    if (schema !== true && schema !== false && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
      return `dynamic tool input schema is not supported for ${name}: expected a JSON Schema object`;
    }
  }
  return undefined;
};
