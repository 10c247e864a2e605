import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import ts from 'typescript';
import { generateTypeScript, writeTypeScript } from '../../../lib/protocol/typescript.js';

/** Type-check the written files as a consumer would (strict, bundler resolution). */
const diagnosticsOf = (dir: string, files: readonly string[]): string[] => {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
    noLib: false,
    skipLibCheck: true,
    rootDir: dir,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
};

describe('TypeScript export', function () {
  // A full type-check of ~240 files takes about a second per variant.
  this.timeout(20_000);

  for (const experimental of [false, true]) {
    it(`compiles under --strict (${experimental ? 'experimental' : 'stable'})`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'rxagent-ts-'));
      try {
        const files = await writeTypeScript(dir, experimental);
        expect(diagnosticsOf(dir, files)).to.deep.equal([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  it('writes one file per type, in the reference folders', () => {
    const files = generateTypeScript({ experimental: false });
    expect(files.get('v2/Thread.ts')).to.contain('export type Thread = {');
    expect(files.get('v2/Thread.ts')).to.contain('import type { Turn } from "./Turn";');
    expect(files.get('v1/InitializeParams.ts')).to.contain('import type { ClientInfo } from "./ClientInfo";');
    expect(files.get('ServerRequest.ts')).to.contain('import type { DynamicToolCallParams } from "./DynamicToolCallParams";');
    expect(files.get('ClientRequest.ts')).to.contain('import type { ThreadStartParams } from "./v2/ThreadStartParams";');
    expect(files.get('index.ts')).to.contain('export * as v2 from "./v2";');
  });

  it('marks optional fields optional and keeps null in Option types', () => {
    const thread = generateTypeScript({ experimental: false }).get('v2/Thread.ts')!;
    expect(thread).to.contain('gitInfo?: GitInfo | null');
    expect(thread).to.contain('createdAt: number');
  });

  it('leaves experimental methods and fields out of the stable variant', () => {
    const stable = generateTypeScript({ experimental: false });
    const experimental = generateTypeScript({ experimental: true });
    expect(stable.get('v2/ThreadStartParams.ts')).not.to.contain('dynamicTools');
    expect(experimental.get('v2/ThreadStartParams.ts')).to.contain('dynamicTools?: Array<DynamicToolSpec> | null');
    expect(stable.has('v2/CollaborationModeListParams.ts')).to.equal(false);
    expect(stable.get('ClientRequest.ts')).not.to.contain('collaborationMode/list');
    expect(experimental.get('ClientRequest.ts')).to.contain('"method": "collaborationMode/list"');
  });

  it('writes paramsless requests with `params: undefined`, as the reference does', () => {
    expect(generateTypeScript({ experimental: false }).get('ClientRequest.ts')).to.contain(
      '{ "method": "account/logout", id: RequestId, params: undefined, }',
    );
  });
});
