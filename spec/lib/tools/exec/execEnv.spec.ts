import { expect } from 'chai';
import { defaultUserShell, mergeEnv, UNIFIED_EXEC_ENV } from '../../../../lib/tools/exec/execEnv.js';

describe('exec environment', () => {
  it('merges layers, later ones winning, and drops unset entries', () => {
    expect(mergeEnv({ PATH: '/bin', HOME: undefined, TERM: 'xterm' }, UNIFIED_EXEC_ENV)).to.deep.equal({ PATH: '/bin', ...UNIFIED_EXEC_ENV });
  });

  it('keeps pagers and colours out of what the model reads', () => {
    expect(UNIFIED_EXEC_ENV).to.include({ PAGER: 'cat', GIT_PAGER: 'cat', NO_COLOR: '1', TERM: 'dumb' });
  });

  it("finds the user's shell", () => {
    expect(defaultUserShell({ SHELL: '/bin/zsh' })).to.match(/^\//);
  });
});
