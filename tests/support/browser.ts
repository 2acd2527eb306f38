/** Headless Chromium for the tests that drive pages in a browser; CHROMIUM_PATH names its binary (/usr/bin/chromium by default). */
import { afterAll, beforeAll } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Launches headless Chromium without its sandbox (tests may run as root in a container) and without its background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Registers a beforeAll that launches Chromium (launchChromium) and an afterAll that closes it, in the scope it is
 * called in; hooks run in the order they are declared, as with useGraph.
 */
export function useChromium(): { readonly browser: Browser } {
  let launched: Browser | undefined;
  beforeAll(async () => {
    launched = await launchChromium();
  });
  afterAll(async () => {
    await launched?.close();
    launched = undefined;
  });
  return {
    get browser() {
      if (!launched) throw new Error('useChromium: the browser is read before its beforeAll launched it (or it failed to launch)');
      return launched;
    },
  };
}
