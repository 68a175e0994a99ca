/**
 * `/`: the account of a signed-in member, the sign-in page for anyone else, and the first-run page
 * while the deployment has no organization (or when the address carries a setup token, as the link
 * printed by servers before the first-run page had its own address did).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { navigate } from '../../app/router.ts';
import { useMe } from '../account/queries.ts';
import { accountPaths } from '../account/paths.ts';
import { firstRunPaths } from '../first-run/paths.ts';
import { linkHasSetupToken } from '../first-run/setupToken.ts';
import { signInPaths } from '../sign-in/paths.ts';

export default function HomePage() {
  const withToken = linkHasSetupToken();
  const me = useMe();
  const setup = useQuery({ queryKey: ['setup'], queryFn: () => unwrap(api.GET('/api/v1/setup')), enabled: me.isError && !withToken });
  useEffect(() => {
    // The fragment goes along: the first-run page takes the token from it.
    if (withToken) navigate(`${firstRunPaths.firstRun}${location.hash}`, { replace: true });
    else if (me.isSuccess) navigate(accountPaths.account, { replace: true });
    else if (setup.data) navigate(setup.data.required ? firstRunPaths.firstRun : signInPaths.signIn, { replace: true });
    else if (setup.isError) navigate(signInPaths.signIn, { replace: true });
  }, [withToken, me.isSuccess, setup.data, setup.isError]);
  return null;
}
