/**
 * Scanning the pairing QR code with the camera, where the browser has a BarcodeDetector (Chromium on
 * Android and ChromeOS, for one). Elsewhere the member pastes the link, or scans it with the phone's
 * own camera, which opens this page with the link in its address.
 */
import { useEffect, useRef, useState } from 'react';
import { Notice } from '../../components/Alert.tsx';
import { SecondaryButton } from '../../components/Buttons.tsx';
import { useT } from '../../i18n/I18n.tsx';

interface Detector { detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>> }
type DetectorConstructor = new (options: { formats: string[] }) => Detector;
const detectorClass = (): DetectorConstructor | undefined => (globalThis as { BarcodeDetector?: DetectorConstructor }).BarcodeDetector;

export const canScanQr = (): boolean => detectorClass() !== undefined && typeof navigator.mediaDevices?.getUserMedia === 'function';

export function QrScanner({ onScanned }: { onScanned: (text: string) => void }) {
  const t = useT();
  const [scanning, setScanning] = useState(false);
  const [failed, setFailed] = useState(false);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const Detector = detectorClass();
    if (!scanning || !Detector) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const detector = new Detector({ formats: ['qr_code'] });
    const look = async () => {
      if (stopped || !video.current) return;
      const found = await detector.detect(video.current).catch(() => []);
      const text = found[0]?.rawValue;
      if (text) {
        setScanning(false);
        onScanned(text);
      } else timer = setTimeout(() => { void look(); }, 300);
    };
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(async (media) => {
      stream = media;
      if (stopped || !video.current) return media.getTracks().forEach((track) => track.stop());
      video.current.srcObject = media;
      await video.current.play();
      void look();
    }).catch(() => {
      setFailed(true);
      setScanning(false);
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [scanning]);

  return (
    <div className="qr-scan">
      <Notice message={failed ? t('authenticator.cameraUnavailable') : scanning ? t('authenticator.scanning') : null} />
      {scanning ? <video ref={video} className="qr-video" muted playsInline /> : null}
      <SecondaryButton onPress={() => { setFailed(false); setScanning(!scanning); }}>
        {scanning ? t('authenticator.stopScan') : t('authenticator.scan')}
      </SecondaryButton>
    </div>
  );
}
