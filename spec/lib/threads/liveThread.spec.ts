import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import type { ConfigSettings } from '../../../lib/config/configSettings.js';
import type { ModelCatalog } from '../../../lib/model/modelCatalog.js';
import type { RolloutWriter } from '../../../lib/rollout/rolloutWriter.js';
import { LiveThread } from '../../../lib/threads/liveThread.js';
import type { SessionSettings } from '../../../lib/threads/sessionSettings.js';
import { foldRollout } from '../../../reducers/rolloutReducer.js';
import { meta, started, turn, userMsg } from '../../reducers/lineBuilders.js';
import { TempTree } from '../../support/tempTree.js';

describe('LiveThread', () => {
  let tree: TempTree;
  beforeEach(() => (tree = new TempTree()));
  afterEach(() => tree.remove());

  it('answers toWire with the state as of the call, not with lines folded while it reads the mtime', async () => {
    const path = tree.path('rollout.jsonl');
    writeFileSync(path, '');
    // A writer whose appends need no I/O: the next persist is folded before the stat returns.
    const writer = { path, isMaterialized: true, append: async () => undefined } as unknown as RolloutWriter;
    const thread = new LiveThread({
      id: 'thread-1',
      createdAt: new Date(0),
      writer,
      state: foldRollout([meta(), ...turn('t1', 'First', 'One')]),
      // toWire reads only the provider and cwd of these.
      settings: { modelProvider: 'mock', cwd: '/p' } as SessionSettings,
      config: {} as ConfigSettings,
      catalog: {} as ModelCatalog,
      dynamicTools: [],
    });
    const answer = thread.toWire(true, new Date(0));
    await thread.persist([started('t2'), userMsg('Second')]);
    expect((await answer).turns.map((t) => t.id)).to.deep.equal(['t1']);
    expect((await thread.toWire(true, new Date(0))).turns.map((t) => t.id)).to.deep.equal(['t1', 't2']);
  });
});
