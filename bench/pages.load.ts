import autocannon from 'autocannon';

/** The client side of bench:pages, in its own process: one autocannon round per request. */
export type LoadRound = {
  url: string;
  authorization: string;
  body: string;
  connections: number;
  seconds: number;
};

export type LoadFigures = {
  requestsPerSecond: number;
  /** Answers in the round: with only a few, p50 and p99 say little. */
  answered: number;
  p50: number;
  p99: number;
  /** Answers other than 2xx, and connection errors and timeouts: a round with any is refused. */
  non2xx: number;
  errors: number;
};

process.on('message', (round: LoadRound) => {
  autocannon({
    url: round.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: round.authorization },
    body: round.body,
    connections: round.connections,
    duration: round.seconds,
  })
    .then((result) => {
      const figures: LoadFigures = {
        requestsPerSecond: result.requests.average,
        answered: result.requests.total,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
      };
      process.send?.(figures);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
});
// The bench ends: so does its client.
process.on('disconnect', () => process.exit(0));
