// Load generator run as its own process, so the server under test does not pay for its clients' CPU.
// Reads one job as JSON on stdin, prints one JSON result line.
import { Agent, request } from 'node:http';

interface Job {
  kind: 'closed-loop' | 'bursts';
  /** Requests to send; each has its own URL, headers and body. */
  requests: { method: string; url: string; headers?: Record<string, string>; body?: string }[];
  concurrency: number;
  durationMs?: number;
  /** Statuses that are expected answers, not failures (a sold-out rush answers 409 by design). */
  expectedStatuses?: number[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const job = JSON.parse(input) as Job;
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const latencies: number[] = [];
  let failures = 0;
  const statuses: Record<string, number> = {};
  const expected = new Set(job.expectedStatuses ?? []);
  const send = async (i: number) => {
    const r = job.requests[i % job.requests.length];
    if (!r) return;
    const t = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(r.url, { method: r.method, headers: r.headers, agent }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => {
          // The first few failures are shown: a benchmark that hides its errors measures nothing.
          if ((res.statusCode ?? 0) >= 300 && !expected.has(res.statusCode ?? 0) && failures < 3)
            process.stderr.write(`loadgen: ${res.statusCode} ${body.slice(0, 300)}\n`);
          resolve(res.statusCode ?? 0);
        });
      });
      req.on('error', reject);
      req.end(r.body);
    });
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status >= 300 && !expected.has(status)) failures++;
    latencies.push(performance.now() - t);
  };
  const started = performance.now();
  if (job.kind === 'closed-loop') {
    const deadline = started + (job.durationMs ?? 5000);
    let i = 0;
    await Promise.all(
      Array.from({ length: job.concurrency }, async () => {
        while (performance.now() < deadline) await send(i++);
      }),
    );
  } else {
    // Bursts: `concurrency` requests fired at once, the next burst after the previous one has finished.
    for (let start = 0; start < job.requests.length; start += job.concurrency) {
      await Promise.all(
        Array.from({ length: Math.min(job.concurrency, job.requests.length - start) }, (_, k) => send(start + k)),
      );
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  agent.destroy();
  process.stdout.write(
    `${JSON.stringify({ count: latencies.length, failures, statuses, rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) })}\n`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
