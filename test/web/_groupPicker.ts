/**
 * The Admin Center's group picker from a test: type part of a name, choose the option, by keyboard as
 * a person would; and a watch on the page's requests for the whole list of groups, which no screen
 * may read (an organization may hold thousands of groups).
 */
import type { Page } from 'playwright-core';

/** Types `text` into the picker labelled `label`, then chooses the option whose name starts with `option`. */
export async function chooseGroup(page: Page, label: string, text: string, option: string): Promise<void> {
  const field = page.getByRole('combobox', { name: label, exact: true });
  await field.fill('');
  await field.pressSequentially(text);
  const listbox = page.getByRole('listbox');
  await listbox.getByRole('option').filter({ hasText: option }).first().waitFor();
  // Down the list to the option, as the keyboard goes; Enter chooses it.
  for (let i = 0; i < 50; i++) {
    await page.keyboard.press('ArrowDown');
    const focused = await listbox.locator('[role=option][data-focused]').textContent();
    if (focused?.startsWith(option)) break;
  }
  await page.keyboard.press('Enter');
  await listbox.waitFor({ state: 'detached' });
}

/** Every GET of the whole list of technician groups the page makes from now on. */
export function watchWholeGroupList(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'GET' && new URL(request.url()).pathname === '/api/v1/technician-groups') seen.push(request.url());
  });
  return seen;
}
