// axe-core (npm) in the page: the WCAG 2.1 A/AA violations of the page as it is now.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// Each violation as rule (impact): the first offending element and what is wrong with it.
export async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes[0]?.target} ${v.nodes[0]?.failureSummary?.split('\n')[1] ?? ''}`);
}
