// The sandbox: from a v2 SandboxPolicy to a bubblewrap argv, refusal when bubblewrap is missing,
// and the "was this a sandbox denial" heuristic the approval layer uses under `on-failure`.
export { bwrapArgv, probeBwrap, type BwrapLayout, type BwrapProbe } from './bwrap.js';
export { isLikelySandboxDenied, type SandboxedOutcome } from './denial.js';
export { findExecutable, nodeFsView, type FsView } from './fsView.js';
export { PLATFORM_READABLE_ROOTS, sandboxLayout, type SandboxLayout } from './layout.js';
export { createSandbox, type PreparedCommand, type Sandbox, type SandboxDeps, type SandboxRefusal } from './sandbox.js';
