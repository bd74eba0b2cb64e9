/** The generic RPC helper over an in-memory channel: replies, typed errors, timeouts, dispose, events. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RpcClient, RpcError, RpcServer, type RpcMessage, type RpcTransport } from '../../src/protocol/rpc';

interface TestApi {
  add(p: { a: number; b: number }): number;
  fail(p: { userFacing: boolean }): never;
  slow(p: { ms: number }): string;
  bytes(p: { n: number }): Uint8Array;
}
type TestEvent = { type: 'tick'; n: number };

/** Two transports wired to each other; messages are delivered asynchronously, as over IPC. */
function channelPair(): { a: RpcTransport; b: RpcTransport } {
  const listeners = { a: new Set<(m: unknown) => void>(), b: new Set<(m: unknown) => void>() };
  const make = (self: 'a' | 'b', other: 'a' | 'b'): RpcTransport => ({
    send: (m: RpcMessage) => setImmediate(() => listeners[other].forEach((l) => l(structuredClone(m)))),
    onMessage: (l) => {
      listeners[self].add(l);
      return () => listeners[self].delete(l);
    },
  });
  return { a: make('a', 'b'), b: make('b', 'a') };
}

class UserError extends Error {
  readonly userFacing = true;
  readonly code = 'dataset';
}

function setup() {
  const { a, b } = channelPair();
  const server = new RpcServer<TestApi, TestEvent>(b, {
    add: ({ a: x, b: y }) => x + y,
    fail: ({ userFacing }) => {
      throw userFacing ? new UserError('The folder is empty: add images.') : new Error('boom');
    },
    slow: ({ ms }) => new Promise<string>((r) => setTimeout(() => r('done'), ms)),
    bytes: ({ n }) => new Uint8Array(n).fill(7),
  });
  const client = new RpcClient<TestApi, TestEvent>(a, 0);
  return { server, client };
}

describe('rpc helper', () => {
  it('answers concurrent requests by correlation id', async () => {
    const { client } = setup();
    const results = await Promise.all([client.call('add', { a: 1, b: 2 }), client.call('slow', { ms: 20 }), client.call('add', { a: 10, b: 5 })]);
    assert.deepEqual(results, [3, 'done', 15]);
    assert.equal(client.pendingCount, 0);
  });

  it('turns thrown errors into rejections that keep code and userFacing', async () => {
    const { client } = setup();
    await assert.rejects(client.call('fail', { userFacing: true }), (err: unknown) => {
      assert.ok(err instanceof RpcError);
      assert.equal(err.code, 'dataset');
      assert.equal(err.userFacing, true);
      assert.match(err.message, /add images/);
      return true;
    });
    await assert.rejects(client.call('fail', { userFacing: false }), (err: unknown) => err instanceof RpcError && err.code === 'internal' && !err.userFacing);
  });

  it('rejects unknown methods instead of hanging', async () => {
    const { client } = setup();
    const untyped = client as unknown as RpcClient<{ nope(p: object): void }, TestEvent>;
    await assert.rejects(untyped.call('nope', {}), /Unknown method 'nope'/);
  });

  it('times out a request that gets no answer', async () => {
    const { client } = setup();
    await assert.rejects(client.call('slow', { ms: 500 }, { timeoutMs: 30 }), (err: unknown) => err instanceof RpcError && err.code === 'timeout');
    assert.equal(client.pendingCount, 0);
  });

  it('rejects pending requests on dispose and refuses new ones', async () => {
    const { client } = setup();
    const pending = client.call('slow', { ms: 200 });
    client.dispose('the engine process exited');
    await assert.rejects(pending, (err: unknown) => err instanceof RpcError && err.code === 'disposed' && /engine process exited/.test(err.message));
    await assert.rejects(client.call('add', { a: 1, b: 1 }), /engine process exited/);
  });

  it('delivers events and typed arrays', async () => {
    const { server, client } = setup();
    const got: number[] = [];
    client.onEvent((e) => got.push(e.n));
    server.emit({ type: 'tick', n: 1 });
    server.emit({ type: 'tick', n: 2 });
    const bytes = await client.call('bytes', { n: 4 });
    assert.ok(bytes instanceof Uint8Array);
    assert.deepEqual([...bytes], [7, 7, 7, 7]);
    assert.deepEqual(got, [1, 2]);
  });
});
