/**
 * The whole app: the member's language, the API cache, React Aria's client-side links, and the page
 * the URL names.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense } from 'react';
import { RouterProvider } from 'react-aria-components';
import { ApiProblem } from '../api/problem.ts';
import { LanguageProvider } from '../i18n/I18n.tsx';
import { findRoute } from '../routes.ts';
import { Shell } from '../components/Shell.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { navigate, usePathname } from './router.ts';

const queryClient = new QueryClient({
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
