/** `/`: the account of a signed-in member, the sign-in page for anyone else. */
import { useEffect } from 'react';
import { navigate } from '../../app/router.ts';
import { useMe } from '../account/queries.ts';
import { accountPaths } from '../account/paths.ts';
import { signInPaths } from '../sign-in/paths.ts';

export default function HomePage() {
  const me = useMe();
  useEffect(() => {
    if (me.isSuccess) navigate(accountPaths.account, { replace: true });
    if (me.isError) navigate(signInPaths.signIn, { replace: true });
  }, [me.isSuccess, me.isError]);
  return null;
}
