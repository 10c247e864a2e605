import type { ReplayScriptFile } from './scriptCodec.js';

// The demo conversations the offline `replay` provider answers with when no scripts are
// configured. Tried in order: the compaction summary, plan, command (approval), file edit (apply_patch), then the plain
// answer, which matches anything. Tool calls have no `call_id`: each request gets fresh ones.

/** The file `rxagent serve` offers the offline demo with: the patch demo writes it in the thread's folder. */
export const DEMO_FILE = 'rxagent-demo.md';

const PATCH = `*** Begin Patch
*** Add File: ${DEMO_FILE}
+# Hello from rxagent
+
+This file was written by the offline **replay** demo model through the \`apply_patch\` tool.
+Nothing here came from a real model: the whole conversation is a script bundled with rxagent.
+
+- Ask the demo to "run a command" to see a command approval.
+- Switch to plan mode (or ask for "a plan") to see a proposed plan.
*** End Patch
`;

const REJECTED = 'rejected by user';

export const BUNDLED_SCRIPTS: ReplayScriptFile = {
  version: 1,
  delayMs: 8,
  scripts: [
    {
      name: 'summary',
      description: 'The hand-off summary a thread compaction asks for.',
      match: { keywords: ['summarize this conversation'] },
      responses: [
        {
          output: [
            {
              type: 'message',
              text:
                'Hand-off note: the user has been trying the scripted demos of the offline replay model of rxagent ' +
                '(a plain answer, a command approval, a file edit, a plan). No real model was involved; nothing remains to be done.',
            },
          ],
        },
      ],
    },
    {
      name: 'plan',
      description: 'Plan mode (or a message asking for a plan): a reasoning summary, then a <proposed_plan> block.',
      match: [{ mode: 'plan' }, { keywords: ['plan'] }],
      responses: [
        {
          output: [
            {
              type: 'reasoning',
              summary: ['**Sketching a plan**\n\nThis is the offline demo, so the plan is scripted: it shows how a proposed plan streams into its own item.'],
            },
            {
              type: 'message',
              text:
                'Here is a plan. Nothing has been changed yet.\n' +
                '<proposed_plan>\n' +
                '# Add a short demo note to the project\n' +
                `- Create \`${DEMO_FILE}\` at the project root with a title and two lines about rxagent.\n` +
                '- Keep the change to that one new file; touch nothing else.\n' +
                `- Verify by listing the folder (\`ls -la\`) and reading the new file.\n` +
                '</proposed_plan>\n' +
                'Leave plan mode and ask me to "edit a file" to see this plan carried out.',
            },
          ],
        },
      ],
    },
    {
      name: 'command',
      description: 'A command that needs approval: exec_command with sandbox_permissions "require_escalated", then a reply about its output.',
      match: { keywords: ['command', 'run', 'shell', 'terminal', 'execute', 'ls', 'list'] },
      responses: [
        {
          output: [
            {
              type: 'reasoning',
              summary: ['**Choosing a command**\n\nListing the folder is harmless; asking to run it outside the sandbox shows the approval request.'],
            },
            {
              type: 'message',
              phase: 'commentary',
              text: "I'll list the files in this folder. The command asks to run outside the sandbox, so you will be asked to approve it first.",
            },
            {
              type: 'function_call',
              name: 'exec_command',
              arguments: {
                cmd: 'ls -la',
                yield_time_ms: 10000,
                sandbox_permissions: 'require_escalated',
                justification: 'Allow the offline demo to list the files in this folder with `ls -la`?',
              },
            },
          ],
        },
        [
          {
            when: { toolOutput: REJECTED },
            output: [{ type: 'message', text: 'Understood: I did not run the command. Nothing was changed.' }],
          },
          {
            when: { toolOutput: '(exited with code|exit code:) *[1-9]' },
            output: [{ type: 'message', text: 'The command ran after your approval but failed; its output above says why.' }],
          },
          {
            output: [
              {
                type: 'message',
                text:
                  'Done: the command ran after your approval, and its output is shown above.\n\n' +
                  'That is the approval flow: the model asked to run `ls -la` outside the sandbox, the server asked you, ' +
                  'and the command ran only once you accepted. Ask me to "edit a file" to see a file change next.',
              },
            ],
          },
        ],
      ],
    },
    {
      name: 'edit',
      description: `A file edit: apply_patch adds ${DEMO_FILE} in the thread's folder, then a reply about the change.`,
      match: { keywords: ['edit', 'patch', 'file', 'write', 'change', 'create'] },
      responses: [
        {
          output: [
            {
              type: 'reasoning',
              summary: [`**Writing a file**\n\nA small new file, \`${DEMO_FILE}\`, is enough to show a file change and its diff.`],
            },
            {
              type: 'message',
              phase: 'commentary',
              text: `I'll add \`${DEMO_FILE}\` to this folder with apply_patch.`,
            },
            { type: 'function_call', name: 'apply_patch', arguments: { input: PATCH } },
          ],
        },
        [
          {
            when: { toolOutput: REJECTED },
            output: [{ type: 'message', text: 'Understood: I left the files as they were.' }],
          },
          {
            when: { toolOutput: 'rejected|verification failed|error|denied|not permitted|read-only' },
            output: [{ type: 'message', text: `The patch could not be applied; the tool output above says why. Nothing else was changed.` }],
          },
          {
            output: [
              {
                type: 'message',
                text:
                  `Done: \`${DEMO_FILE}\` now exists in this folder; the file change and the turn diff are shown above.\n\n` +
                  'Ask me to "run a command" to see a command approval, or switch to plan mode for a plan.',
              },
            ],
          },
        ],
      ],
    },
    {
      name: 'answer',
      description: 'Anything else: a reasoning summary and a plain answer explaining the demo.',
      responses: [
        {
          output: [
            {
              type: 'reasoning',
              summary: ['**Answering offline**\n\nNo model is connected, so this reply is a script bundled with rxagent, streamed like a real response.'],
            },
            {
              type: 'message',
              text:
                'Hello! I am the offline **replay** demo model of rxagent. No credentials are configured, so my answers are ' +
                'scripted Responses streams bundled with rxagent, not a real model.\n\n' +
                'Try asking me to:\n' +
                '- **run a command**: I ask for approval, then show its output;\n' +
                `- **edit a file**: I create \`${DEMO_FILE}\` here with apply_patch;\n` +
                '- **make a plan** (or switch to plan mode): I propose a plan.\n\n' +
                'To talk to a real model, set `OPENAI_API_KEY` or sign in, then start a new thread.',
            },
          ],
        },
      ],
    },
  ],
};
