import { describe, expect, it } from 'vitest';
import { parseWsRequest } from '../../../main/server/parse-ws-request';

const text = (value: string) => Buffer.from(value, 'utf8');

describe('parseWsRequest', () => {
  it('parses a well-formed request', () => {
    expect(parseWsRequest(text('{"id":1,"channel":"app.info","input":{}}'))).toEqual({
      ok: true,
      request: { id: 1, channel: 'app.info', input: {} },
    });
    expect(parseWsRequest([text('{"id":2,"chan'), text('nel":"x","input":null}')])).toMatchObject({
      ok: true,
    });
  });

  it('explains bad JSON and invalid UTF-8 with id -1', () => {
    expect(parseWsRequest(text('{'))).toMatchObject({ ok: false, id: -1, message: /not valid JSON/ });
    expect(parseWsRequest(Buffer.from([0xc3, 0x28]))).toMatchObject({ ok: false, id: -1, message: /UTF-8/ });
  });

  it('keeps a usable id when only the rest is wrong, and names the field', () => {
    const result = parseWsRequest(text('{"id":9,"channel":7}'));
    expect(result).toMatchObject({ ok: false, id: 9 });
    expect(result.ok ? '' : result.message).toContain('`channel`');
    expect(parseWsRequest(text('{"id":"9","channel":"x"}'))).toMatchObject({ ok: false, id: -1 });
    expect(parseWsRequest(text(`{"id":1,"channel":"${'x'.repeat(101)}"}`))).toMatchObject({
      ok: false,
      id: 1,
    });
    expect(parseWsRequest(text('[1]'))).toMatchObject({ ok: false, id: -1 });
  });
});
