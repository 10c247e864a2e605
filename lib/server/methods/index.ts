import { clientMethods, referenceOnlyMethods } from '../../protocol/registry.js';
import { threadIndexFor } from '../../threadIndex/index.js';
import type { MethodTable } from '../methodTable.js';
import { accountLoginCancel, accountLoginStart } from './accountLogin.js';
import { accountLogout } from './accountLogout.js';
import { accountRateLimitsRead } from './accountRateLimitsRead.js';
import { accountRead } from './accountRead.js';
import { collaborationModeList } from './collaborationModeList.js';
import { commandExec } from './commandExec.js';
import { configBatchWrite, configValueWrite } from './configWrite.js';
import { configRead } from './configRead.js';
import { configRequirementsRead } from './configRequirementsRead.js';
import { experimentalFeatureList } from './experimentalFeatureList.js';
import { initialize } from './initialize.js';
import { mockExperimentalMethod } from './mockExperimentalMethod.js';
import { modelList } from './modelList.js';
import { threadArchive, threadUnarchive } from './threadArchive.js';
import { threadBackgroundTerminalsClean } from './threadBackgroundTerminalsClean.js';
import { threadCompactStart } from './threadCompactStart.js';
import { threadFork } from './threadFork.js';
import { threadList } from './threadList.js';
import { threadLoadedList } from './threadLoadedList.js';
import { threadNameSet } from './threadNameSet.js';
import { threadRead } from './threadRead.js';
import { threadResume } from './threadResume.js';
import { threadRollback } from './threadRollback.js';
import { threadStart } from './threadStart.js';
import { turnInterrupt } from './turnInterrupt.js';
import { turnStart } from './turnStart.js';
import { turnSteer } from './turnSteer.js';

/**
 * Every method rxagent serves, with the registry; loaded after start-up so the process can answer
 * `initialize` first. A registry method without a handler answers -32601 "not implemented".
 */
export const methodTable: MethodTable = {
  clientMethods,
  referenceOnlyMethods,
  handlers: [initialize, mockExperimentalMethod, accountRead, accountLoginStart, accountLoginCancel, accountLogout, modelList,
    configRead, configValueWrite, configBatchWrite, configRequirementsRead,
    threadStart, threadResume, threadFork, threadRead, threadLoadedList, threadArchive, threadUnarchive, threadNameSet,
    threadRollback, threadList, turnStart, turnSteer, turnInterrupt, collaborationModeList,
    threadCompactStart, commandExec, experimentalFeatureList, threadBackgroundTerminalsClean, accountRateLimitsRead],
  threadIndex: (codexHome) => {
    const index = threadIndexFor(codexHome);
    // The start-up check runs in slices before the first thread/list, not inside it.
    index.warm();
    return { noteWritten: index.noteWritten, noteMoved: index.noteMoved };
  },
};
