import type { ComponentType } from 'react';

export interface PageProps {
  readonly params: Record<string, string>;
}

/** One page of the site: its path (declared by the server too) and its page, loaded when first shown. */
export interface AppRoute {
  readonly path: string;
  readonly page: ComponentType<PageProps>;
}
