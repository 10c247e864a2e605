/**
 * Runs tasks for the same key one after another (in call order) and tasks for different keys
 * freely: config writes to one file hold it from read to rename, so two writes never interleave
 * and the second sees the first's version (SPEC §10.3).
 *
 * @example
 * const writes = new Serialized();
 * await writes.run(userFile, async () => { … read, check version, write … });
 */
export class Serialized {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    // Tails never reject, so a failed task does not stop the ones queued behind it.
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Forget the key once nothing is queued behind this task, so the map stays small.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
