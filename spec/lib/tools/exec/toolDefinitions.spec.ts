import { expect } from 'chai';
import { Ajv } from 'ajv';
import { EXEC_COMMAND_TOOL, SHELL_TOOL, WRITE_STDIN_TOOL } from '../../../../lib/tools/exec/toolDefinitions.js';

describe('exec tool definitions', () => {
  const ajv = new Ajv({ strict: true });

  it('are function tools with valid JSON Schema parameters', () => {
    for (const tool of [EXEC_COMMAND_TOOL, WRITE_STDIN_TOOL, SHELL_TOOL]) {
      expect(tool).to.include({ type: 'function', strict: false });
      expect(tool.description.length, tool.name).to.be.within(40, 400);
      expect(() => ajv.compile(tool.parameters), tool.name).to.not.throw();
    }
  });

  it('offer the reference tool names and argument names', () => {
    expect([EXEC_COMMAND_TOOL.name, WRITE_STDIN_TOOL.name, SHELL_TOOL.name]).to.deep.equal(['exec_command', 'write_stdin', 'shell']);
    expect(Object.keys(EXEC_COMMAND_TOOL.parameters.properties)).to.have.members([
      'cmd', 'workdir', 'shell', 'login', 'tty', 'yield_time_ms', 'max_output_tokens', 'sandbox_permissions', 'justification', 'prefix_rule',
    ]);
    expect(Object.keys(WRITE_STDIN_TOOL.parameters.properties)).to.have.members(['session_id', 'chars', 'yield_time_ms', 'max_output_tokens']);
    expect(Object.keys(SHELL_TOOL.parameters.properties)).to.have.members(['command', 'workdir', 'timeout_ms', 'sandbox_permissions', 'justification', 'prefix_rule']);
  });

  it('accept the arguments the reference fixture model sent', () => {
    const validate = ajv.compile(EXEC_COMMAND_TOOL.parameters);
    expect(validate({ cmd: 'echo one; sleep 0.3; touch made-by-harness.txt; echo two', yield_time_ms: 5000 })).to.equal(true);
    expect(validate({ yield_time_ms: 5000 })).to.equal(false);
  });
});
