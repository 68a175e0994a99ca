/**
 * The web authenticator (docs/push-protocol.md): the pairings this browser keeps, a request stream
 * held for each, the requests as they come with their context, and pairing a new account. The
 * pairing link may arrive in this page's address (`#pair=…`, from a scanned QR code): it fills the
 * field and leaves the address at once, so it stays in no history entry.
 */
import { numberScreenOf } from '@twofold/client';
import { useCallback, useEffect, useState } from 'react';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { SecondaryButton } from '../../components/Buttons.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import type { MessageId } from '../../i18n/messages.ts';
import { forgetPairing, listPairings, type Pairing } from './pairingStore.ts';
import { PairForm } from './PairForm.tsx';
import { RequestCard, type Answered } from './RequestCard.tsx';
import { holdRequestStream, type RequestContext, type StreamStatus } from './requestStream.ts';
import { useInstallable } from './installable.ts';
import '../push/push.css';

const supported = (): boolean => typeof indexedDB !== 'undefined' && globalThis.isSecureContext && crypto.subtle !== undefined;

function takeLinkFromAddress(): string {
  if (!location.hash.includes('pair=')) return '';
  const link = location.href;
  history.replaceState(history.state, '', location.pathname);
  return link;
}

/** What an approval leads to, by what the request was for (`action`, else `purpose` from an older server). */
function approvedMessage(request: RequestContext | undefined): MessageId {
  const screen = request ? numberScreenOf(request) : 'sign_in';
  return screen === 'pairing' ? 'authenticator.approvedPairing' : screen === 'change' ? 'authenticator.approvedChange' : 'authenticator.approved';
}

export default function AuthenticatorPage() {
  const t = useT();
  const errorText = useErrorText();
  useInstallable();
  const [initialLink] = useState(takeLinkFromAddress);
  const [pairings, setPairings] = useState<Pairing[] | null>(null);
  const [statuses, setStatuses] = useState<Record<string, StreamStatus>>({});
  const [requests, setRequests] = useState<RequestContext[]>([]);
  // Kept as ids and values, not text, so a notice reads in the language chosen after it appeared.
  const [notice, setNotice] = useState<{ id: MessageId; values?: Record<string, string> } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [failure, setFailure] = useState(!supported());

  useEffect(() => {
    if (!supported()) return;
    listPairings().then(setPairings).catch(() => setFailure(true));
  }, []);

  const remove = useCallback((id: string) => setRequests((all) => all.filter((request) => request.id !== id)), []);
  useEffect(() => {
    const stops = (pairings ?? []).map((pairing) => holdRequestStream(pairing.deviceId, pairing.privateKey, {
      onStatus: (status) => setStatuses((all) => ({ ...all, [pairing.deviceId]: status })),
      onRequest: (request) => {
        // An error was about an earlier request (a wrong number, one answered too late): with a new
        // one in front of the member, it would read as this one's.
        setProblem(null);
        setRequests((all) => [...all.filter((r) => r.id !== request.id), request]);
      },
      onClosed: (closed) => {
        setRequests((all) => {
          // A request this page answered is gone already and has its own notice.
          if (all.some((r) => r.id === closed.id)) setNotice({ id: 'authenticator.ended', values: { state: closed.state } });
          return all.filter((r) => r.id !== closed.id);
        });
      },
    }));
    return () => stops.forEach((stop) => stop());
  }, [pairings]);

  const answered = (answer: Answered) => {
    const request = requests.find((r) => r.id === answer.id);
    remove(answer.id);
    setProblem(null);
    setNotice({ id: answer.state === 'approved' ? approvedMessage(request) : answer.state === 'reported' ? 'authenticator.reported' : 'authenticator.denied' });
  };
  const ended = (id: string, error: unknown) => {
    remove(id);
    setNotice(null);
    setProblem(error);
  };
  const keyOf = (deviceId: string) => pairings?.find((p) => p.deviceId === deviceId)?.privateKey;

  return (
    <section className="card wide authenticator">
      <PageHeading>{t('authenticator.title')}</PageHeading>
      <p>{t('authenticator.intro')}</p>
      <ErrorAlert message={failure ? t('authenticator.noWebCrypto') : errorText(problem)} />
      <Notice message={notice ? t(notice.id, notice.values) : null} />
      {pairings && pairings.length > 0 ? (
        <section aria-labelledby="requests-title">
          <h2 id="requests-title">{t('authenticator.requestsTitle')}</h2>
          {requests.length === 0 ? <p>{t('authenticator.noRequests')}</p> : null}
          {requests.map((request) => {
            const key = keyOf(request.deviceId);
            return key ? <RequestCard key={request.id} request={request} privateKey={key} onAnswered={answered} onEnded={(error) => ended(request.id, error)} /> : null;
          })}
        </section>
      ) : null}
      {pairings && pairings.length > 0 ? (
        <section aria-labelledby="pairings-title">
          <h2 id="pairings-title">{t('authenticator.pairingsTitle')}</h2>
          <ul className="plain-list factor-list">
            {pairings.map((pairing) => (
              <li key={pairing.deviceId}>
                <span>
                  {t('authenticator.pairingRow', { member: pairing.memberName, email: pairing.memberEmail, organization: pairing.organizationName })}
                  <br />
                  <span className="push-status" data-testid="stream-status">{t(`authenticator.status.${statuses[pairing.deviceId] ?? 'connecting'}`)}</span>
                </span>
                <SecondaryButton onPress={() => {
                  void forgetPairing(pairing.deviceId).then(() => {
                    setPairings((all) => (all ?? []).filter((p) => p.deviceId !== pairing.deviceId));
                    setNotice({ id: 'authenticator.forgotten' });
                  });
                }}>
                  {t('authenticator.forget')}
                </SecondaryButton>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {pairings ? (
        <PairForm initialLink={initialLink} onPaired={(pairing) => {
          setNotice({ id: 'authenticator.paired', values: { organization: pairing.organizationName } });
          setPairings((all) => [...(all ?? []), pairing]);
        }} />
      ) : null}
    </section>
  );
}
