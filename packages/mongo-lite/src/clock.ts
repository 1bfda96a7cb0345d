// The cluster time replies carry ($clusterTime / operationTime). One logical clock per process: seconds plus
// a counter, strictly increasing, which is all causal consistency in the driver needs.
import { Binary, type Document, Long, Timestamp } from 'bson';

let lastSeconds = 0;
let increment = 0;

export function clusterTime(): Timestamp {
  const seconds = Math.floor(Date.now() / 1000);
  if (seconds > lastSeconds) {
    lastSeconds = seconds;
    increment = 0;
  }
  increment++;
  return new Timestamp({ t: lastSeconds, i: increment });
}

const signature = { hash: new Binary(Buffer.alloc(20)), keyId: Long.fromNumber(0) };

export function clusterTimeFields(): Document {
  const ts = clusterTime();
  return { $clusterTime: { clusterTime: ts, signature }, operationTime: ts };
}
