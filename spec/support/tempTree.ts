import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A throwaway folder tree for specs: `files` maps relative paths to contents (a path ending in
 * `/` is an empty folder). `remove()` deletes it; specs call it in `afterEach`.
 *
 * @example
 * const tree = new TempTree({ 'home/config.toml': 'model = "o3"\n' });
 * const path = tree.file('rollout.jsonl', lines); // writes it, returns its path
 */
export class TempTree {
  /** Real path (no symlinks), so it compares equal to what the loader reports. */
  readonly root = realpathSync(mkdtempSync(join(tmpdir(), 'rxagent-tree-')));

  constructor(files: Readonly<Record<string, string | Buffer>> = {}) {
    this.write(files);
  }

  path(relative = ''): string {
    return join(this.root, relative);
  }

  /** Writes one file and returns its path. */
  file(relative: string, content: string | Buffer): string {
    this.write({ [relative]: content });
    return this.path(relative);
  }

  write(files: Readonly<Record<string, string | Buffer>>): void {
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
