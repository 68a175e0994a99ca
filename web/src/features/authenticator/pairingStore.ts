/**
 * The pairings of this browser, in IndexedDB: each with its own ECDSA P-256 private key, stored as a
 * non-extractable CryptoKey (IndexedDB keeps the key object itself; no script can read its bytes,
 * this page's included). Nothing else about the member is kept but what the server answered at
 * pairing, to show whose requests these are.
 */
const DB_NAME = 'twofold-authenticator';
const STORE = 'pairings';

export interface Pairing {
  readonly deviceId: string;
  readonly privateKey: CryptoKey;
  readonly deviceName: string;
  readonly organizationName: string;
  readonly memberName: string;
  readonly memberEmail: string;
  readonly pairedAt: string;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => { request.result.createObjectStore(STORE, { keyPath: 'deviceId' }); };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    });
  } finally {
    db.close();
  }
}

export async function listPairings(): Promise<Pairing[]> {
  const all = await run<Pairing[]>('readonly', (store) => store.getAll() as IDBRequest<Pairing[]>);
  return all.sort((a, b) => a.pairedAt.localeCompare(b.pairedAt));
}

export const savePairing = (pairing: Pairing): Promise<unknown> => run('readwrite', (store) => store.put(pairing));

export const forgetPairing = (deviceId: string): Promise<unknown> => run('readwrite', (store) => store.delete(deviceId));
