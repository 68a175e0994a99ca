/**
 * Pairing: the link pasted (or arriving in this page's address, from a scanned QR code or a click),
 * a device name, then a new key pair whose public half is registered with the link's token. The QR
 * code can also be scanned here with the camera where the browser has a BarcodeDetector.
 */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Form } from 'react-aria-components';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../components/Alert.tsx';
import { PrimaryButton, submitOnce } from '../../components/Buttons.tsx';
import { TextInput } from '../../components/TextInput.tsx';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import { newDeviceKey, pairingTokenOf } from './deviceKeys.ts';
import { savePairing, type Pairing } from './pairingStore.ts';
import { QrScanner, canScanQr } from './QrScanner.tsx';

export function PairForm({ initialLink, onPaired }: { initialLink: string; onPaired: (pairing: Pairing) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const [link, setLink] = useState(initialLink);
  const [deviceName, setDeviceName] = useState(() => t('authenticator.defaultDeviceName'));
  const [badLink, setBadLink] = useState(false);
  const pair = useMutation({
    mutationFn: async (pairingToken: string) => {
      const { privateKey, publicKey } = await newDeviceKey();
      const answer = await unwrap(api.POST('/api/v1/authenticator/pairings', {
        body: { pairingToken, publicKey, deviceName: deviceName.trim() || t('authenticator.defaultDeviceName'), platform: 'web' },
      }));
      const pairing: Pairing = {
        deviceId: answer.deviceId, privateKey, deviceName: deviceName.trim(), organizationName: answer.organizationName,
        memberName: answer.memberName, memberEmail: answer.memberEmail, pairedAt: new Date().toISOString(),
      };
      await savePairing(pairing);
      return pairing;
    },
    onSuccess: (pairing) => {
      setLink('');
      onPaired(pairing);
    },
  });
  const submit = (text: string) => {
    const token = pairingTokenOf(text);
    setBadLink(token === null);
    if (token) pair.mutate(token);
  };

  return (
    <section aria-labelledby="pair-title">
      <h2 id="pair-title">{t('authenticator.pairTitle')}</h2>
      <p>{t('authenticator.pairIntro')}</p>
      <ErrorAlert message={errorText(pair.error)} />
      <Form className="form" onSubmit={submitOnce(pair.isPending, () => submit(link))}>
        <TextInput
          label={t('authenticator.pairingLink')} hint={t('authenticator.pairingLinkHint')} name="pairingLink" autoComplete="off" spellCheck={false}
          error={badLink ? t('authenticator.badLink') : undefined} isRequired value={link} onChange={(value) => { setLink(value); setBadLink(false); }}
        />
        <TextInput label={t('authenticator.deviceName')} hint={t('authenticator.deviceNameHint')} name="deviceName" maxLength={64} isRequired value={deviceName} onChange={setDeviceName} />
        <PrimaryButton isPending={pair.isPending}>{t('authenticator.pair')}</PrimaryButton>
      </Form>
      {canScanQr() ? <QrScanner onScanned={(text) => { setLink(text); submit(text); }} /> : null}
    </section>
  );
}
