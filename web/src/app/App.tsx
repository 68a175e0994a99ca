/**
 * The whole app: the member's language, the API cache, React Aria's client-side links, and the page
 * the URL names.
 */
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense } from 'react';
import { RouterProvider } from 'react-aria-components';
import { ApiProblem, isProblem } from '../api/problem.ts';
import { accountPaths } from '../features/account/paths.ts';
import { LanguageProvider } from '../i18n/I18n.tsx';
import { findRoute } from '../routes.ts';
import { Shell } from '../components/Shell.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { navigate, usePathname } from './router.ts';

/**
 * A session that passed the password alone is held once the organization asks the member to use
 * two-step verification: whatever page asked, the member is led into set-up from the session.
 */
function leadIntoSetUp(error: unknown): void {
  if (isProblem(error, 'two_step_setup_required') && location.pathname !== accountPaths.twoStepSetup) {
    navigate(accountPaths.twoStepSetup, { replace: true });
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: leadIntoSetUp }),
  mutationCache: new MutationCache({ onError: leadIntoSetUp }),
  defaultOptions: {
    queries: {
      // A problem is an answer, not a network hiccup: asking again would only repeat it.
      retry: (failures, error) => !(error instanceof ApiProblem && error.code !== 'network') && failures < 2,
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <LanguageProvider>
        <RouterProvider navigate={(to) => navigate(to)}>
          <CurrentPage />
        </RouterProvider>
      </LanguageProvider>
    </QueryClientProvider>
  );
}

function CurrentPage() {
  const pathname = usePathname();
  const found = findRoute(pathname);
  return (
    <Shell>
      <Suspense fallback={null}>
        {found ? <found.route.page params={found.params} /> : <NotFoundPage />}
      </Suspense>
    </Shell>
  );
}
