/** GraphQL requests the services at `urls` have answered, summed from their own /metrics (graphql_requests_total). */
export async function graphqlRequestsServed(...urls: string[]): Promise<number> {
  let served = 0;
  for (const url of urls) {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    for (const line of metrics.split('\n')) if (line.startsWith('graphql_requests_total{')) served += Number(line.split(' ').at(-1));
  }
  return served;
}
