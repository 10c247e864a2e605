import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess } from '../support/serverProcess.js';

describe('rxagent CLI', () => {
  let out: string;
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'rxagent-cli-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('generate-json-schema writes the stable bundle, without experimental methods', async () => {
    const run = ServerProcess.start(['app-server', 'generate-json-schema', '--out', out]);
    expect((await run.exited).code).to.equal(0);
    const request = JSON.parse(readFileSync(join(out, 'ClientRequest.json'), 'utf8')) as { oneOf: Array<{ properties: { method: { enum: string[] } } }> };
    const methods = request.oneOf.map((v) => v.properties.method.enum[0]);
    expect(methods).to.include('thread/start');
    expect(methods).to.not.include('collaborationMode/list');
    expect(existsSync(join(out, 'v2', 'ThreadStartParams.json'))).to.equal(true);
    expect(existsSync(join(out, 'v2', 'CollaborationModeListParams.json'))).to.equal(false);
  });

  it('generate-json-schema --experimental includes experimental methods and fields', async () => {
    const run = ServerProcess.start(['app-server', 'generate-json-schema', '--out', out, '--experimental']);
    expect((await run.exited).code).to.equal(0);
    const params = JSON.parse(readFileSync(join(out, 'v2', 'ThreadStartParams.json'), 'utf8')) as { properties: object };
    expect(params.properties).to.have.property('dynamicTools');
    expect(existsSync(join(out, 'v2', 'CollaborationModeListParams.json'))).to.equal(true);
  });

  it('generate-ts writes TypeScript declarations', async () => {
    const run = ServerProcess.start(['app-server', 'generate-ts', '--out', out]);
    expect((await run.exited).code).to.equal(0);
    expect(readFileSync(join(out, 'index.ts'), 'utf8')).to.contain('export');
  });

  it('exits 2 with usage on an unknown command, and 1 on a bad -c override', async () => {
    const unknown = ServerProcess.start(['frobnicate']);
    expect((await unknown.exited).code).to.equal(2);
    expect(unknown.stderr).to.contain('Usage:');
    const bad = ServerProcess.start(['app-server', '-c', 'novalue']);
    expect((await bad.exited).code).to.equal(1);
    expect(bad.stderr).to.contain('invalid -c override `novalue`; expected key=value');
  });
});
