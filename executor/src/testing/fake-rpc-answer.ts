/** A fake `db.rpc(...)` answer: a promise that also takes the query builder's `setHeader`, as the claims call it. */
export type TFakeRpcAnswer<T> = Promise<T> & { setHeader(name: string, value: string): TFakeRpcAnswer<T> };

/** Wraps a fake RPC's answer so code that sets a header on the call (the claims' Priority) runs against it. */
export function fakeRpcAnswer<T>(answer: Promise<T>): TFakeRpcAnswer<T> {
  const call = answer as TFakeRpcAnswer<T>;
  call.setHeader = () => call;
  return call;
}
