import { reapAll } from './serverProcess.js';

/** Root hooks: every server a test spawned is stopped and reaped, even when the test failed. */
export const mochaHooks = {
  async afterEach(): Promise<void> {
    await reapAll();
  },
};
