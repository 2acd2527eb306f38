/** GraphQL requests the services at `urls` have answered, summed from their own /metrics (graphql_requests_total). */
export async function graphqlRequestsServed(...urls: string[]): Promise<number> {
  let served = 0;
  for (const url of urls) served += await counterValue(url, 'graphql_requests_total', {});
  return served;
}

/** A Prometheus counter's value in a service's /metrics text, summed over the series matching `labels`. */
export async function counterValue(serviceUrl: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const matches = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (matches) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
