import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A throwaway folder tree for config specs: `files` maps relative paths to contents (a path
 * ending in `/` is an empty folder). `remove()` deletes it; specs call it in `afterEach`.
 */
export class TempTree {
  /** Real path (no symlinks), so it compares equal to what the loader reports. */
  readonly root = realpathSync(mkdtempSync(join(tmpdir(), 'rxagent-config-')));

  constructor(files: Readonly<Record<string, string>> = {}) {
    this.write(files);
  }

  path(relative = ''): string {
    return join(this.root, relative);
  }

  write(files: Readonly<Record<string, string>>): void {
    for (const [relative, content] of Object.entries(files)) {
      if (relative.endsWith('/')) mkdirSync(this.path(relative), { recursive: true });
      else {
        mkdirSync(dirname(this.path(relative)), { recursive: true });
        writeFileSync(this.path(relative), content);
      }
    }
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
