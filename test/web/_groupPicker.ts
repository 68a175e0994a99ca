/**
 * The Admin Center's group picker from a test: type part of a name, choose the option, by keyboard as
 * a person would; and a watch on the page's requests for every group at once, which no screen may
 * make (an organization may hold thousands of groups).
 */
import type { Page } from 'playwright-core';

/** Types `text` into the picker labelled `label`, then chooses the option whose name starts with `option`. */
export async function chooseGroup(page: Page, label: string, text: string, option: string): Promise<void> {
  const field = page.getByRole('combobox', { name: label, exact: true });
  await field.fill('');
  await field.pressSequentially(text);
  const listbox = page.getByRole('listbox');
  await listbox.getByRole('option').filter({ hasText: option }).first().waitFor();
  // Down the list to the option, as the keyboard goes; Enter chooses it. Each key is followed by a
  // wait for the list to mark another option: read too early, the option of before would be taken for
  // the new one, and the next key would go past the one sought.
  const focusedOption = (): string | null => document.querySelector('[role=listbox] [role=option][data-focused]')?.textContent ?? null;
  let focused = await page.evaluate(focusedOption);
  for (let i = 0; i < 50 && !focused?.startsWith(option); i++) {
    await page.keyboard.press('ArrowDown');
    const moved = await page.waitForFunction(
      (before) => {
        const now = document.querySelector('[role=listbox] [role=option][data-focused]')?.textContent ?? null;
        return now !== before ? { now } : null;
      },
      focused,
    );
    focused = (await moved.jsonValue())!.now;
  }
  await page.keyboard.press('Enter');
  await listbox.waitFor({ state: 'detached' });
}

/**
 * Every GET the page makes from now on that answers every technician group at once: the whole tree
 * of groups, or the two-step verification report without a page size.
 */
export function watchWholeGroupList(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    const whole = url.pathname === '/api/v1/technician-groups'
      || (url.pathname === '/api/v1/reports/two-step-verification' && !url.searchParams.has('limit'));
    if (request.method() === 'GET' && whole) seen.push(request.url());
  });
  return seen;
}
