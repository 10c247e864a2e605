import { expect } from 'chai';
import { isPersisted, isPersistedResponseItem } from '../../../lib/rollout/persistencePolicy.js';
import { rolloutFiles, rolloutLines, scenarios } from '../../reducers/referenceFixtures.js';

describe('persistence policy', () => {
  it('persists the event types of SPEC §6.3', () => {
    const persisted = [
      'user_message',
      'agent_message',
      'agent_reasoning',
      'agent_reasoning_raw_content',
      'token_count',
      'context_compacted',
      'entered_review_mode',
      'exited_review_mode',
      'thread_rolled_back',
      'undo_completed',
      'turn_aborted',
      'task_started',
      'task_complete',
    ];
    for (const type of persisted) expect(isPersisted({ type }), type).to.equal(true);
  });

  it('persists item_completed only for plan items', () => {
    expect(isPersisted({ type: 'item_completed', item: { type: 'Plan' } })).to.equal(true);
    expect(isPersisted({ type: 'item_completed', item: { type: 'AgentMessage' } })).to.equal(false);
    expect(isPersisted({ type: 'item_completed' })).to.equal(false);
  });

  it('keeps live-only events out of the file', () => {
    const live = [
      'agent_message_delta',
      'agent_message_content_delta',
      'agent_reasoning_delta',
      'error',
      'warning',
      'exec_command_begin',
      'exec_command_end',
      'exec_approval_request',
      'apply_patch_approval_request',
      'patch_apply_begin',
      'item_started',
      'plan_update',
      'turn_diff',
      'session_configured',
      'thread_name_updated',
      'collab_waiting_begin',
    ];
    for (const type of live) expect(isPersisted({ type }), type).to.equal(false);
  });

  it('agrees with what the reference wrote in every fixture rollout', () => {
    for (const scenario of scenarios()) {
      for (const path of rolloutFiles(scenario)) {
        for (const line of rolloutLines(path)) {
          if (line.type === 'event_msg') {
            expect(line.payload.type, `${path}: unknown event`).to.not.equal('other');
            if (line.payload.type !== 'other') expect(isPersisted(line.payload), `${path}: ${line.payload.type}`).to.equal(true);
          }
          if (line.type === 'response_item') expect(isPersistedResponseItem(line.payload)).to.equal(true);
        }
      }
    }
  });

  it('persists every response item except "other"', () => {
    expect(isPersistedResponseItem({ type: 'other' })).to.equal(false);
    expect(isPersistedResponseItem({ type: 'compaction', encrypted_content: 'e' })).to.equal(true);
  });
});
