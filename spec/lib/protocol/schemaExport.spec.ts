import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { generateJsonSchema, writeJsonSchema } from '../../../lib/protocol/jsonSchema.js';
import { clientMethods, referenceOnlyMethods, serverNotifications, serverRequests } from '../../../lib/protocol/registry.js';
import { flatDefinitions, normalize } from './support/normalize.js';
import { BUNDLE, SHARED_PROTOCOL, readReference } from './support/validators.js';

type Variant = 'stable' | 'experimental';
const VARIANTS: readonly Variant[] = ['experimental', 'stable'];
const MESSAGE_UNIONS = ['ClientRequest', 'ServerNotification', 'ServerRequest', 'ClientNotification'];

// Legacy v1 messages the reference still sends and rxagent never does.
const LEGACY_NOTIFICATIONS = ['authStatusChange', 'loginChatGptComplete', 'sessionConfigured'];
const LEGACY_SERVER_REQUESTS = ['applyPatchApproval', 'execCommandApproval'];

const methodsOf = (union: unknown): string[] =>
  ((union as { oneOf: { properties: { method: { enum: string[] } } }[] }).oneOf ?? []).map((v) => v.properties.method.enum[0]!);

const ours = (variant: Variant) => generateJsonSchema({ experimental: variant === 'experimental' });

describe('JSON Schema export', () => {
  for (const variant of VARIANTS) {
    describe(`${variant} bundle`, () => {
      const reference = flatDefinitions(readReference(variant, BUNDLE));
      const exported = flatDefinitions(ours(variant).get(BUNDLE) as Record<string, unknown>);

      it('defines every type field for field as the reference does', () => {
        const differing = [...exported]
          .filter(([name]) => !MESSAGE_UNIONS.includes(name))
          .filter(([name, schema]) => JSON.stringify(normalize(schema)) !== JSON.stringify(normalize(reference.get(name))))
          .map(([name]) => name);
        expect(differing).to.deep.equal([]);
      });

      it('places every type where the reference does (top level or v2)', () => {
        expect([...exported.keys()].filter((name) => !reference.has(name))).to.deep.equal([]);
      });

      it('lists the reference methods, less the v1 ones rxagent does not implement', () => {
        const client = methodsOf(reference.get('ClientRequest')).filter((m) => !referenceOnlyMethods.has(m));
        expect(methodsOf(exported.get('ClientRequest'))).to.deep.equal(client);
        expect(methodsOf(exported.get('ServerNotification'))).to.deep.equal(
          methodsOf(reference.get('ServerNotification')).filter((m) => !LEGACY_NOTIFICATIONS.includes(m)),
        );
        expect(methodsOf(exported.get('ServerRequest'))).to.deep.equal(
          methodsOf(reference.get('ServerRequest')).filter((m) => !LEGACY_SERVER_REQUESTS.includes(m)),
        );
        expect(methodsOf(exported.get('ClientNotification'))).to.deep.equal(methodsOf(reference.get('ClientNotification')));
      });

      it('matches the reference message variants (id, params, required members)', () => {
        for (const union of MESSAGE_UNIONS) {
          const refVariants = new Map(
            (reference.get(union) as { oneOf: unknown[] }).oneOf.map((v) => [methodsOf({ oneOf: [v] })[0], normalize(v)]),
          );
          for (const v of (exported.get(union) as { oneOf: unknown[] }).oneOf) {
            expect(normalize(v), `${union} ${methodsOf({ oneOf: [v] })[0]}`).to.deep.equal(refVariants.get(methodsOf({ oneOf: [v] })[0]));
          }
        }
      });
    });
  }

  it('writes the files the reference has for the types rxagent defines', () => {
    for (const variant of VARIANTS) {
      const files = [...ours(variant).keys()];
      const referenceFiles = new Set(
        ['', 'v1/', 'v2/'].flatMap((dir) => readdirSync(new URL(`${variant}/${dir}`, SHARED_PROTOCOL)).map((f) => `${dir}${f}`)),
      );
      expect(files.filter((f) => !referenceFiles.has(f)), variant).to.deep.equal([]);
      // Every params/result/notification type of the v2 surface has its own file.
      for (const m of clientMethods.values()) {
        if (variant === 'stable' && m.experimental) continue;
        if (m.method === 'initialize') continue;
        expect(files, m.method).to.include(`v2/${m.result.name}.json`);
      }
      for (const n of serverNotifications.values()) expect(files).to.include(`v2/${n.params.name}.json`);
      for (const r of serverRequests.values()) expect(files).to.include(`${r.params.name}.json`);
      expect(files).to.include.members(['v1/InitializeParams.json', 'v1/InitializeResponse.json', 'JSONRPCMessage.json']);
    }
  });

  it('writes standalone files whose types match the reference files', () => {
    for (const variant of VARIANTS) {
      for (const [path, schema] of ours(variant)) {
        if (path === BUNDLE || MESSAGE_UNIONS.some((u) => path === `${u}.json`)) continue;
        const reference = readReference(variant, path);
        expect(normalize(schema), `${variant}/${path}`).to.deep.equal(normalize(reference));
        // The reference also carries a few unreachable definitions (e.g. `AppConfig` beside the
        // opaque `AppsConfig`), so ours must be a subset: exactly the types the file refers to.
        const refDefs = Object.keys((reference.definitions ?? {}) as object);
        expect(refDefs, `${variant}/${path} definitions`).to.include.members(Object.keys(((schema as Record<string, unknown>).definitions ?? {}) as object));
      }
    }
  });

  describe('stable variant', () => {
    const stable = ours('stable');
    const experimental = ours('experimental');

    it('leaves out exactly the experimental methods', () => {
      const dropped = methodsOf(experimental.get('ClientRequest.json')).filter((m) => !methodsOf(stable.get('ClientRequest.json')).includes(m));
      expect(dropped).to.deep.equal(['thread/backgroundTerminals/clean', 'collaborationMode/list', 'mock/experimentalMethod']);
      expect([...experimental.keys()].filter((f) => !stable.has(f)).sort()).to.deep.equal([
        'v2/CollaborationModeListParams.json',
        'v2/CollaborationModeListResponse.json',
        'v2/MockExperimentalMethodParams.json',
        'v2/MockExperimentalMethodResponse.json',
        'v2/ThreadBackgroundTerminalsCleanParams.json',
        'v2/ThreadBackgroundTerminalsCleanResponse.json',
      ]);
    });

    it('leaves out exactly the experimental fields', () => {
      const propsOf = (files: ReadonlyMap<string, unknown>, type: string): string[] => {
        const v2 = ((files.get(BUNDLE) as { definitions: { v2: Record<string, { properties?: object }> } }).definitions.v2);
        return Object.keys(v2[type]?.properties ?? {});
      };
      const droppedFields = (type: string) => propsOf(experimental, type).filter((p) => !propsOf(stable, type).includes(p)).sort();
      expect(droppedFields('ThreadStartParams')).to.deep.equal(['dynamicTools', 'experimentalRawEvents', 'mockExperimentalField']);
      expect(droppedFields('ThreadResumeParams')).to.deep.equal(['history', 'path']);
      expect(droppedFields('ThreadForkParams')).to.deep.equal(['path']);
      expect(droppedFields('TurnStartParams')).to.deep.equal(['collaborationMode']);
      expect(droppedFields('Config')).to.deep.equal(['apps']);
      expect(droppedFields('ConfigRequirements')).to.deep.equal(['network']);
      const stableTypes = Object.keys((stable.get(BUNDLE) as { definitions: { v2: object } }).definitions.v2);
      const others = stableTypes.filter((t) => !['ThreadStartParams', 'ThreadResumeParams', 'ThreadForkParams', 'TurnStartParams', 'Config', 'ConfigRequirements'].includes(t));
      expect(others.filter((t) => droppedFields(t).length > 0)).to.deep.equal([]);
    });

    it('keeps the chatgptAuthTokens login variant, which is gated at runtime only', () => {
      const login = (stable.get('v2/LoginAccountParams.json') as { anyOf: { properties: { type: { enum: string[] } } }[] }).anyOf;
      expect(login.map((v) => v.properties.type.enum[0])).to.include('chatgptAuthTokens');
    });
  });

  it('writes the files to disk as pretty JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxagent-schema-'));
    try {
      const written = await writeJsonSchema(dir, false);
      expect(written).to.include(join(dir, 'v2', 'ThreadStartParams.json'));
      const schema = JSON.parse(await readFile(join(dir, 'v2', 'ThreadStartParams.json'), 'utf8')) as { title: string };
      expect(schema.title).to.equal('ThreadStartParams');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
