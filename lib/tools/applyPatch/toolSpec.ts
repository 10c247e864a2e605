/**
 * How the model is offered `apply_patch` in a Responses request: as a freeform (`custom`) tool
 * whose input is constrained by a Lark grammar, or as a function tool taking the patch in `input`
 * for models whose `apply_patch_tool_type` is `function`.
 */

const FORMAT = `A patch is
*** Begin Patch
<one or more file sections>
*** End Patch

File sections:
- "*** Add File: <path>", then every line of the new file prefixed with "+". An existing file is replaced.
- "*** Delete File: <path>" alone.
- "*** Update File: <path>", optionally "*** Move to: <new path>" to rename it, then one or more hunks. A hunk starts with "@@", optionally followed by a line that precedes the change (e.g. "@@ class Parser") to narrow down where it applies. Its lines start with " " (unchanged), "-" (removed) or "+" (added). A hunk that reaches the end of the file may close with "*** End of File".`;

const RULES = `Rules:
- Paths are relative to the working directory.
- Hunks are located by their text, not by line numbers: give about 3 unchanged lines before and after each change, copied exactly from the file, and add "@@ <line>" headers when that is not unique.
- A hunk with only "+" lines is inserted right after its "@@ <line>", or at the end of the file without one.
- One patch may touch several files and hold several hunks per file, in file order.
- An empty line inside a hunk still needs its prefix (" ", "-" or "+").`;

const EXAMPLE = `Example:
*** Begin Patch
*** Add File: docs/notes.md
+# Notes
*** Update File: src/app.py
@@ def greet():
-    print("Hi")
+    print("Hello")
*** Delete File: old.txt
*** End Patch`;

/**
 * Lark grammar of the patch envelope, which the Responses API uses to constrain what the model
 * writes as the freeform tool's input.
 *
 * @example
 * APPLY_PATCH_LARK_GRAMMAR.startsWith('start:'); // true
 */
export const APPLY_PATCH_LARK_GRAMMAR = `start: "*** Begin Patch" LF operation+ "*** End Patch" LF?

operation: add_file | delete_file | update_file
add_file: "*** Add File: " PATH LF added_line+
delete_file: "*** Delete File: " PATH LF
update_file: "*** Update File: " PATH LF move_to? hunk+
move_to: "*** Move to: " PATH LF
hunk: ("@@" | "@@ " TEXT) LF hunk_line+ end_of_file?
hunk_line: (" " | "-" | "+") TEXT? LF
added_line: "+" TEXT? LF
end_of_file: "*** End of File" LF

PATH: /[^\\n]+/
TEXT: /[^\\n]+/
LF: "\\n"
`;

/**
 * The freeform `apply_patch` tool (Responses `custom` tool with a grammar format).
 *
 * @example
 * const request = { model, input, tools: [APPLY_PATCH_FREEFORM_TOOL] };
 */
export const APPLY_PATCH_FREEFORM_TOOL = {
  type: 'custom',
  name: 'apply_patch',
  description: `Edits files. The input is the patch text itself (not JSON):\n\n${FORMAT}\n\n${RULES}\n\n${EXAMPLE}`,
  format: { type: 'grammar', syntax: 'lark', definition: APPLY_PATCH_LARK_GRAMMAR },
} as const;

/**
 * The JSON function variant of `apply_patch`: the same patch text, passed as `input`.
 *
 * @example
 * const request = { model, input, tools: [APPLY_PATCH_FUNCTION_TOOL] };
 * // the model then calls it with arguments '{"input":"*** Begin Patch\n…\n*** End Patch"}'
 */
export const APPLY_PATCH_FUNCTION_TOOL = {
  type: 'function',
  name: 'apply_patch',
  description: `Edits files. Pass the whole patch as \`input\`:\n\n${FORMAT}\n\n${RULES}\n\n${EXAMPLE}`,
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      input: { type: 'string', description: "The entire patch, from '*** Begin Patch' to '*** End Patch'." },
    },
    required: ['input'],
    additionalProperties: false,
  },
} as const;
