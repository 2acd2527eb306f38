// npm run bench:mail — from a mutation that causes a mail to the SMTP server accepting it, against a bare nodemailer send.
import { createTransport } from 'nodemailer';
import { startGraph } from '../../tests/support/graph.js';
import { eventually } from '../../tests/support/eventually.js';
import { linkFrom, type SmtpSink } from '../../tests/support/smtp-sink.js';
import { inBatches, percentile } from './stats.js';
import { withTestDatabase } from './with-test-graph.js';

const MESSAGES = 100;
const WARM_UP = 10;

/**
 * One GraphQL request from a client address of its own; throws on errors. (tests/support/client.ts needs jest's
 * globals, so it cannot be loaded here.)
 */
async function mutate(routerUrl: string, query: string, variables: Record<string, unknown>, clientIp: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${routerUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': clientIp },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`${query.split('(')[0] ?? query} failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

let accountCounter = 0;
const benchEmail = (label: string) => `${label}.${Date.now().toString(36)}.${(accountCounter += 1)}@example.test`;

/** Distinct client addresses from the benchmarking range (RFC 2544), so no per-IP throttle counts two requests. */
const benchmarkIp = (index: number) => `198.18.${Math.floor(index / 250)}.${(index % 250) + 1}`;

function describe(label: string, samples: number[]): string {
  return `${label}: p50 ${percentile(samples, 0.5).toFixed(1)} ms, p99 ${percentile(samples, 0.99).toFixed(1)} ms (n=${samples.length})`;
}

/** Milliseconds from `startedAt` (Date.now()) until the sink accepted the password-reset mail to `to`. */
async function resetAcceptedAfter(sink: SmtpSink, to: string, startedAt: number): Promise<number> {
  const mail = await sink.waitForMail((candidate) => candidate.to.includes(to) && linkFrom(candidate, '/reset-password') !== undefined, 30_000);
  return mail.receivedAt.getTime() - startedAt;
}

await withTestDatabase(async () => {
  // The relay polls at its production default (1 s): latencies well under it show that the commit woke the relay.
  const graph = await startGraph({ RATE_LIMIT_PER_MINUTE: '1000000', MAIL_POLL_INTERVAL_MS: '1000' });
  try {
    const emails: string[] = [];
    await inBatches(
      Array.from({ length: WARM_UP + 2 * MESSAGES }, (_, index) => index),
      8,
      async (index) => {
        const email = benchEmail('bench-mail');
        await mutate(
          graph.routerUrl,
          'mutation Register($input: RegisterInput!) { register(input: $input) { user { id } } }',
          { input: { email, password: 'correct horse battery' } },
          benchmarkIp(index),
        );
        emails[index] = email;
      },
    );
    // Registration sends verification mail, which is not measured: let the relay finish it first.
    await eventually(
      () => Promise.resolve(graph.mail.received.length),
      (received) => received >= emails.length,
      30_000,
    );

    let ipIndex = emails.length;
    const requestReset = async (email: string): Promise<number> => {
      const startedAt = Date.now();
      await mutate(
        graph.routerUrl,
        'mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }',
        { email },
        benchmarkIp(ipIndex++),
      );
      return resetAcceptedAfter(graph.mail, email, startedAt);
    };

    for (const email of emails.slice(0, WARM_UP)) await requestReset(email);
    const oneAtATime: number[] = [];
    for (const email of emails.slice(WARM_UP, WARM_UP + MESSAGES)) oneAtATime.push(await requestReset(email));
    const burst = await Promise.all(emails.slice(WARM_UP + MESSAGES).map(requestReset));

    // The baseline: the same message to the same sink, one nodemailer send each, as the relay sends (a connection
    // per message, no pool). Both pay the sink's 100 ms wait before its greeting (smtp-server's early-talker check,
    // as many MTAs do) once per message.
    const transport = createTransport({ url: graph.mail.url }, { from: '"PyAirtable" <no-reply@pyairtable.localhost>' });
    const sample = graph.mail.received.find((mail) => mail.subject.startsWith('Reset'));
    const bare: number[] = [];
    for (let index = 0; index < WARM_UP + MESSAGES; index += 1) {
      const to = benchEmail('bench-bare');
      const startedAt = Date.now();
      await transport.sendMail({ to, subject: sample?.subject ?? 'Reset', text: sample?.text ?? '', html: sample?.html ?? '' });
      const mail = await graph.mail.waitForMail((candidate) => candidate.to.includes(to), 30_000);
      if (index >= WARM_UP) bare.push(mail.receivedAt.getTime() - startedAt);
    }
    transport.close();

    console.log(describe('bare nodemailer send to the sink (baseline)', bare));
    console.log(describe('requestPasswordReset through the router until the SMTP server accepted the mail, one at a time', oneAtATime));
    const addedMs = percentile(oneAtATime, 0.5) - percentile(bare, 0.5);
    console.log(
      `  p50 / baseline p50 = ${(percentile(oneAtATime, 0.5) / percentile(bare, 0.5)).toFixed(2)}× (the queue and relay add ${addedMs.toFixed(1)} ms)`,
    );
    console.log(describe(`the same, ${MESSAGES} mutations at once`, burst));
    console.log(`  p99 / baseline p50 = ${(percentile(burst, 0.99) / percentile(bare, 0.5)).toFixed(2)}×`);
  } finally {
    await graph.close();
  }
});
