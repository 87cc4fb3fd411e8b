import { readFileSync } from 'node:fs';
import { PROTOCOL_DOC, renderProtocolDoc } from '../../scripts/protocol-doc';
import { ERROR_CODE_LIST } from '../../shared/codes';

describe('docs/PROTOCOL.md', () => {
  it('is exactly what the generator makes from the shared definitions (run `npm run docs:protocol`)', () => {
    expect(readFileSync(PROTOCOL_DOC, 'utf8')).toBe(renderProtocolDoc());
  });

  it('lists every error code', () => {
    const doc = renderProtocolDoc();
    for (const code of ERROR_CODE_LIST) expect(doc).toContain(`| \`${code}\` |`);
  });
});
