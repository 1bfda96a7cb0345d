import { Writable } from 'node:stream';
import { createLogger } from '../src/logger';

describe('logs never carry phone numbers or secrets', () => {
  it('redacts phone, token, password and authorization fields', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info(
      {
        member: { phone: '13812341234', token: 'eyJsecret' },
        password: 'hunter22',
        req: { headers: { authorization: 'Bearer abc' } },
      },
      'x',
    );
    const text = lines.join('');
    for (const secret of ['13812341234', 'eyJsecret', 'hunter22', 'Bearer abc']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });
});
